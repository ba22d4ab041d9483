package io.ddm.sample;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The machine's Chromium, headless, driven through its chromedriver: Debian's {@code chromium} and
 * {@code chromium-driver} packages by default, other paths with {@code -Dddm.it.chromium=...} and
 * {@code -Dddm.it.chromedriver=...}. Both are named explicitly, so Selenium Manager never looks for (or downloads) a
 * browser or a driver.
 */
final class Chromium {

    /** Skip message where no browser is installed. */
    static final String NONE_AVAILABLE_MESSAGE = "No Chromium for the console's browser test: install it with"
            + " 'apt-get install -y chromium chromium-driver' (.ci/run does), or point -Dddm.it.chromium and"
            + " -Dddm.it.chromedriver at a Chromium and its chromedriver";

    private static final Path BINARY = Path.of(System.getProperty("ddm.it.chromium", "/usr/bin/chromium"));

    private static final Path DRIVER = Path.of(System.getProperty("ddm.it.chromedriver", "/usr/bin/chromedriver"));

    private Chromium() {
    }

    static boolean available() {
        return Files.isExecutable(BINARY) && Files.isExecutable(DRIVER);
    }

    /**
     * Starts a headless browser with a fresh profile that makes no connection of its own (updates, sync, ...).
     * @param profile an empty folder for the browser's profile
     * @param width window width in pixels
     * @param height window height in pixels
     * @return the browser; the caller quits it
     */
    static ChromeDriver start(Path profile, int width, int height) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER.toString()))
            .usingAnyFreePort()
            .build();
        return new ChromeDriver(service, options);
    }

    /**
     * Skips a test class where no browser is installed, with {@link #NONE_AVAILABLE_MESSAGE}: evaluated before anything
     * of the class runs, so no server and no application is started for nothing.
     */
    static final class Required implements ExecutionCondition {

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return available() ? ConditionEvaluationResult.enabled("Chromium and chromedriver are installed")
                    : ConditionEvaluationResult.disabled(NONE_AVAILABLE_MESSAGE);
        }

    }

}
