package io.ddm.sample;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseServers;
import io.ddm.test.servers.DatabaseTopology;
import io.ddm.test.servers.RequiresDatabaseServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console page ({@code /actuator/ddmconsole}) in a real headless Chromium, on the sample running on real
 * replicated servers (2 nodes, each a primary with a replica): what a person sees. Every node with its primary and
 * replica, up, in rotation, with its pool; the shards and tables where they live; a route preview's answer; a replica
 * that is killed shown DOWN and out of the read rotation, then UP and back in it once restarted. Every check waits
 * (up to a minute) for what the page shows, which refreshes itself every few seconds; nothing sleeps. Screenshots go to
 * {@code target/console*.png}.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "ddm.console.enabled=true")
@ExtendWith(Chromium.Required.class)
@RequiresDatabaseServers(primaries = 2, replicasPerPrimary = 1)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DirtiesContext
class ConsoleBrowserTests {

    @TempDir
    static Path profile;

    private static ChromeDriver browser;

    private static ConsolePage page;

    private final DatabaseTopology topology = DatabaseServers.topology(2, 1);

    @LocalServerPort
    private int port;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        LocalServers.nodeProperties(DatabaseServers.topology(2, 1)).forEach((name, value) -> registry.add(name, () -> value));
    }

    @BeforeAll
    static void startBrowser() {
        browser = Chromium.start(profile, 1280, 1900);
        page = new ConsolePage(browser);
    }

    @AfterAll
    static void quitBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @AfterEach
    void restoreServers() {
        this.topology.restore();
    }

    @Test
    @Order(1)
    void showsEveryNodeWithItsServersShardsAndTables() {
        open();
        for (String node : List.of("ds0", "ds1")) {
            By card = By.cssSelector("[data-node='" + node + "']");
            page.await(node + " is shown UP", (driver) -> "UP".equals(page.text(card, ".node-status")));
            assertThat(page.text(card, ".node-name")).isEqualTo(node);
            for (String server : List.of(node, node + "-r0")) {
                By row = By.cssSelector("[data-node='" + node + "'] [data-server='" + server + "']");
                page.await(server + " is shown UP", (driver) -> "UP".equals(page.text(row, ".state")));
                assertThat(browser.findElement(row).isDisplayed()).isTrue();
                assertThat(page.text(row, ".name")).isEqualTo(server);
                assertThat(page.text(row, ".role")).startsWith(server.equals(node) ? "primary" : "replica");
                assertThat(page.text(row, ".address")).matches("127\\.0\\.0\\.1:\\d+");
                assertThat(page.text(row, ".pool")).matches("\\d+ of \\d+ in use, \\d+ open.*");
                String routing = server.equals(node) ? "accepting statements" : "in read rotation";
                page.await(server + " is shown " + routing, (driver) -> routing.equals(page.text(row, ".routing")));
            }
        }
        assertThat(page.text(By.cssSelector("[data-node='ds0']"), ".shards")).isEqualTo("shards 0, 1 (shop_0, shop_1)");
        assertThat(page.text(By.cssSelector("[data-node='ds1']"), ".shards")).isEqualTo("shards 2, 3 (shop_2, shop_3)");
        for (int shard = 0; shard < 4; shard++) {
            By row = By.cssSelector("#shards [data-shard='" + shard + "']");
            assertThat(page.text(row, ".mono")).isEqualTo("shop_" + shard);
            assertThat(page.text(row, ".node")).isEqualTo((shard < 2) ? "ds0" : "ds1");
        }
        By orders = By.cssSelector("#tables [data-table='t_order']");
        assertThat(page.text(orders, "[data-database='shop_3']")).isEqualTo("ds1 · shop_3: t_order_6, t_order_7");
        assertThat(browser.findElement(orders).getText()).contains("8 data nodes", "binding group orders");
        assertThat(browser.findElement(By.id("moves")).getText()).contains("No shard move is running.");
        assertThat(browser.findElement(By.id("status")).getText()).startsWith("Refreshed");
    }

    @Test
    @Order(2)
    void routePreviewAnswersWhereAStatementGoes() throws IOException {
        open();
        page.await("the page has loaded", (driver) -> page.text(By.id("status"), null).startsWith("Refreshed"));
        page.preview("SELECT * FROM t_order WHERE user_id = ?", "6");
        By unit = By.cssSelector("#route-result .units tbody tr");
        page.await("the route is shown", (driver) -> !driver.findElements(unit).isEmpty());
        assertThat(browser.findElement(By.id("route-result")).getText()).contains("single-shard", "1 shard", "table t_order");
        assertThat(browser.findElements(unit)).hasSize(1);
        assertThat(page.text(unit, ".node")).isEqualTo("ds1");
        assertThat(page.text(unit, ".database")).isEqualTo("shop_2");
        assertThat(page.text(unit, ".tables")).isEqualTo("t_order_5");
        page.screenshot("console.png");

        page.preview("SELECT * FROM t_order", "");
        page.await("the scatter route is shown", (driver) -> driver.findElements(unit).size() == 4);
        assertThat(browser.findElement(By.id("route-result")).getText()).contains("all-shards", "4 shards");

        page.preview("SELEC nonsense", "");
        page.await("the refusal is shown", (driver) -> page.text(By.id("route-result"), null).contains("400"));
        assertThat(browser.findElement(By.id("route-result")).getText()).contains("Invalid SQL or parameters");
    }

    @Test
    @Order(3)
    void killedReplicaIsShownDownAndOutOfRotationThenUpAgain() throws IOException {
        open();
        By replica = By.cssSelector("[data-node='ds1'] [data-server='ds1-r0']");
        By node = By.cssSelector("[data-node='ds1']");
        page.await("ds1-r0 is shown UP", (driver) -> "UP".equals(page.text(replica, ".state .badge")));
        DatabaseServer server = this.topology.replicasOf(1).get(0);
        server.kill();
        page.await("ds1-r0 is shown DOWN", (driver) -> "DOWN".equals(page.text(replica, ".state .badge")));
        assertThat(page.text(replica, ".state .error-text")).isNotBlank();
        page.await("ds1 is shown DEGRADED", (driver) -> "DEGRADED".equals(page.text(node, ".node-status")));
        page.await("ds1-r0 is shown out of rotation", (driver) -> "out of rotation".equals(page.text(replica, ".routing")));
        assertThat(page.text(By.cssSelector("[data-node='ds1'] [data-server='ds1']"), ".state .badge")).isEqualTo("UP");
        assertThat(page.text(By.cssSelector("[data-node='ds0']"), ".node-status")).isEqualTo("UP");
        page.screenshot("console-replica-down.png");

        server.start();
        page.await("ds1-r0 is shown UP again", (driver) -> "UP".equals(page.text(replica, ".state .badge")));
        page.await("ds1-r0 is shown back in rotation", (driver) -> "in read rotation".equals(page.text(replica, ".routing")));
        page.await("ds1 is shown UP again", (driver) -> "UP".equals(page.text(node, ".node-status")));
        page.screenshot("console-replica-up-again.png");
    }

    private void open() {
        assertThat(page.open(this.port)).isEqualTo("DDM console");
    }

}
