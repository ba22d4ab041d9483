package io.ddm.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import io.ddm.test.servers.DatabaseServers;
import io.ddm.test.servers.DatabaseTopology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's shard moves in a real headless Chromium: the sample on its own 3 nodes (as {@code spring-boot:test-run}
 * runs it: ds2 holds no shard), shard 3 moved from ds1 to ds2 over {@code /actuator/ddm/moves}, and the page showing
 * the finished move with its progress bar full, the shard on ds2 against its configured ds1, and ds2 holding it. The
 * servers are private to this class, since the move changes where the servers record the shard.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "ddm.console.enabled=true", "ddm.moves.enabled=true" })
@ExtendWith({ Chromium.Required.class, ConsoleMovesBrowserTests.PrivateServers.class })
@DirtiesContext
class ConsoleMovesBrowserTests {

    private static DatabaseTopology topology;

    @TempDir
    static Path profile;

    private static ChromeDriver browser;

    private static ConsolePage page;

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    private int port;

    @BeforeAll
    static void startBrowser() {
        browser = Chromium.start(profile, 1280, 1900);
        page = new ConsolePage(browser);
    }

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        LocalServers.nodeProperties(topology).forEach((name, value) -> registry.add(name, () -> value));
    }

    @AfterAll
    static void quitBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void finishedMoveIsShownWithItsProgressAndTheShardWhereItNowLives() throws Exception {
        for (int user = 0; user < 8; user++) {
            HttpResponse<String> created = send(HttpRequest.newBuilder(uri("/users"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"mover-" + user + "\", \"region\": \"EU\"}")));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }
        assertThat(page.open(this.port)).isEqualTo("DDM console");
        By spare = By.cssSelector("[data-node='ds2']");
        page.await("ds2 is shown holding no shard", (driver) -> "holds no shard (spare node)".equals(page.text(spare, ".shards")));
        assertThat(page.text(By.id("moves"), null)).contains("No shard move is running.");

        HttpResponse<String> started = send(HttpRequest.newBuilder(uri("/actuator/ddm/moves"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"shard\": 3, \"target\": \"ds2\"}")));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);

        By move = By.cssSelector("#moves [data-move]");
        page.await("the move is shown DONE", (driver) -> "DONE".equals(page.text(move, ".move-state")));
        WebElement bar = browser.findElement(By.cssSelector("#moves [data-move] [role='progressbar']"));
        assertThat(bar.getDomAttribute("aria-valuenow")).isEqualTo(bar.getDomAttribute("aria-valuemax")).isNotEqualTo("0");
        String rows = bar.getDomAttribute("aria-valuemax");
        assertThat(page.text(move, null)).contains("shard 3", "shop_3", "ds1 → ds2", rows + " of " + rows + " rows copied");
        assertThat(page.text(By.id("moves"), null)).contains("No shard move is running.");

        By shard = By.cssSelector("#shards [data-shard='3']");
        page.await("shard 3 is shown on ds2", (driver) -> "ds2".equals(page.text(shard, ".node")));
        assertThat(page.text(shard, null)).contains("moved here; ddm.placement says ds1");
        page.await("ds2 is shown holding shard 3", (driver) -> "shards 3 (shop_3)".equals(page.text(spare, ".shards")));
        assertThat(page.text(By.cssSelector("[data-node='ds1']"), ".shards")).isEqualTo("shards 2 (shop_2)");
        assertThat(page.text(By.cssSelector("#tables [data-table='t_user']"), "[data-database='shop_3']"))
            .isEqualTo("ds2 · shop_3: t_user");
        // Statements follow the shard: user 3 lives in shard 3.
        page.preview("SELECT * FROM t_order WHERE user_id = ?", "3");
        By unit = By.cssSelector("#route-result .units tbody tr");
        page.await("the route is shown", (driver) -> !driver.findElements(unit).isEmpty());
        assertThat(page.text(unit, ".node")).isEqualTo("ds2");
        assertThat(page.text(unit, ".database")).isEqualTo("shop_3");
        page.screenshot("console-move.png");
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + this.port + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return this.http.send(request.header("Content-Type", "application/json").timeout(ConsolePage.WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Starts this class's servers before the application (without any, the class is skipped) and stops them once
     * everything of the class has ended, the application included: JUnit closes the class's store last.
     */
    static final class PrivateServers implements BeforeAllCallback {

        @Override
        public void beforeAll(ExtensionContext context) {
            topology = DatabaseServers.newTopology(3, 1);
            context.getStore(ExtensionContext.Namespace.create(PrivateServers.class)).put(DatabaseTopology.class, topology);
        }

    }

}
