package io.ddm.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console page as a browser shows it: visible texts, read anew each time (the page replaces its panels at every
 * refresh), and waits for what it shows.
 */
final class ConsolePage {

    /** How long a wait lasts before it fails: generous, for a busy machine. */
    static final Duration WAIT = Duration.ofSeconds(60);

    private static final int STALE_RETRIES = 10;

    private final ChromeDriver browser;

    ConsolePage(ChromeDriver browser) {
        this.browser = browser;
    }

    ChromeDriver browser() {
        return this.browser;
    }

    /**
     * Opens the console of an application.
     * @param port the application's HTTP port
     * @return the page's title
     */
    String open(int port) {
        this.browser.get("http://127.0.0.1:" + port + "/actuator/ddmconsole");
        return this.browser.getTitle();
    }

    /**
     * Types a statement and its parameters into the route preview box and asks for the route.
     * @param sql the SQL
     * @param parameters its parameters as the box takes them
     */
    void preview(String sql, String parameters) {
        WebElement sqlBox = this.browser.findElement(By.id("route-sql"));
        sqlBox.clear();
        sqlBox.sendKeys(sql);
        WebElement parametersBox = this.browser.findElement(By.id("route-parameters"));
        parametersBox.clear();
        parametersBox.sendKeys(parameters);
        this.browser.findElement(By.id("route-submit")).click();
    }

    /**
     * The visible text of the first element found, or of its first part matching a CSS selector.
     * @param element where to look
     * @param part a CSS selector inside it, or {@code null} for the element's whole text
     * @return the trimmed text, empty when nothing is found
     */
    String text(By element, String part) {
        for (int attempt = 0; ; attempt++) {
            try {
                List<WebElement> found = this.browser.findElements(element);
                if (found.isEmpty()) {
                    return "";
                }
                if (part == null) {
                    return found.get(0).getText().trim();
                }
                List<WebElement> parts = found.get(0).findElements(By.cssSelector(part));
                return parts.isEmpty() ? "" : parts.get(0).getText().trim();
            }
            catch (StaleElementReferenceException ex) {
                // Replaced by a refresh between finding and reading: read the new one.
                if (attempt == STALE_RETRIES) {
                    throw ex;
                }
            }
        }
    }

    /**
     * Waits until the page shows something.
     * @param what what it should show, for the failure message
     * @param condition true once shown
     */
    void await(String what, Function<WebDriver, Boolean> condition) {
        new WebDriverWait(this.browser, WAIT).withMessage("the console page to show that " + what)
            .ignoring(StaleElementReferenceException.class)
            .until(condition);
    }

    /**
     * Saves what the browser shows as a PNG under {@code target/}.
     * @param name the file name
     * @throws IOException if it cannot be written
     */
    void screenshot(String name) throws IOException {
        Path folder = Path.of("target");
        Files.createDirectories(folder);
        Files.write(folder.resolve(name), this.browser.getScreenshotAs(OutputType.BYTES));
    }

}
