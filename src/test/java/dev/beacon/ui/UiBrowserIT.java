package dev.beacon.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in headless Chromium (Debian's chromium and chromium-driver) against a real single-server Beacon.
 * Changes made through the HTTP API must show on an open page without a reload; changes made in the page must
 * show through the API. With {@code -Dbeacon.screenshots=docs/screenshots} it also saves the README's screenshots.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UiBrowserIT {
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private BeaconNode node;
    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        node = new BeaconNode("ui-browser", "127.0.0.1", TestCluster.freePort(), List.of(), dir.resolve("node"))
                .start();
        await().atMost(TestCluster.FORMATION).until(() -> node.cluster().isReady() && node.cluster().isLeader());
        browser = chromium(Files.createDirectories(dir.resolve("profile")));
        wait = new WebDriverWait(browser, PATIENCE);
        // A navigation (a link or a form's submit) that has not loaded by then fails the test instead of waiting on.
        browser.manage().timeouts().pageLoadTimeout(PATIENCE);
    }

    /** Chromium with no network of its own: no updates, sync or first-run calls, a fresh profile. */
    private static WebDriver chromium(Path profile) {
        assertThat(Path.of(CHROMIUM)).as("Debian package chromium (.ci/run installs it)").isExecutable();
        assertThat(Path.of(CHROMEDRIVER)).as("Debian package chromium-driver (.ci/run installs it)").isExecutable();
        // Pointing at the Debian driver and browser keeps Selenium Manager from looking for (or downloading) any.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (node != null) {
            node.close();
        }
    }

    private void open(String path) {
        browser.get(node.uri(path).toString());
    }

    private HttpResponse<String> api(String method, String path, String body) {
        return node.send(HttpRequest.newBuilder(node.uri(path))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private void register(String id, String name, String tag) {
        assertThat(api("PUT", "/v1/agent/service/register", "{\"ID\":\"" + id + "\",\"Name\":\"" + name + "\","
                + "\"Port\":8080,"
                + "\"Tags\":[\"" + tag + "\"],\"Meta\":{\"version\":\"1.4.2\"},"
                + "\"Check\":{\"TTL\":\"10m\",\"Status\":\"passing\"}}").statusCode()).isEqualTo(200);
    }

    /** Sets a marker in the page's JavaScript state; it survives only as long as the page is not reloaded. */
    private void markPage() {
        ((JavascriptExecutor) browser).executeScript("window.beaconTestMarker = 'still here';");
    }

    private void assertNotReloaded() {
        assertThat(((JavascriptExecutor) browser).executeScript("return window.beaconTestMarker;"))
                .isEqualTo("still here");
    }

    private WebElement waitFor(By locator) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    @Test
    void aServiceRegisteredAndTurnedCriticalShowsOnTheOpenPagesWithoutReload() {
        open("/");
        wait.until(ExpectedConditions.urlContains("/ui/services"));
        waitFor(By.cssSelector("[data-live-status]"));
        markPage();

        register("checkout-1", "checkout", "blue");

        WebElement row = waitFor(By.cssSelector("tr[data-service='checkout']"));
        assertThat(row.getText()).contains("checkout", "1 passing", "blue");
        assertNotReloaded();

        row.findElement(By.linkText("checkout")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("[data-instance='checkout-1'] [data-check='service:checkout-1']"), "passing"));
        assertThat(browser.findElement(By.cssSelector("[data-instance='checkout-1']")).getText())
                .contains("ui-browser", "127.0.0.1:8080", "blue", "version", "1.4.2");
        markPage();

        assertThat(api("PUT", "/v1/agent/check/fail/service:checkout-1?note=disk%20full", "").statusCode())
                .isEqualTo(200);

        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("[data-instance='checkout-1'] [data-check='service:checkout-1'] .status"), "critical"));
        assertThat(browser.findElement(By.cssSelector("[data-check='service:checkout-1']")).getText())
                .contains("disk full");
        assertThat(browser.findElement(By.cssSelector(".page-head .summary")).getAttribute("data-health"))
                .isEqualTo("critical");
        assertNotReloaded();
    }

    @Test
    void typingAFilterNarrowsTheListAndTheFilteredListStaysLive() {
        register("filter-a", "filter-apple", "fruit");
        register("filter-b", "filter-banana", "fruit");
        open("/ui/services");
        waitFor(By.cssSelector("tr[data-service='filter-banana']"));
        markPage();

        browser.findElement(By.id("q")).sendKeys("apple");

        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr[data-service='filter-banana']"), 0));
        assertThat(browser.findElements(By.cssSelector("tr[data-service='filter-apple']"))).hasSize(1);
        assertThat(browser.getCurrentUrl()).endsWith("/ui/services?q=apple");

        register("filter-c", "filter-crabapple", "fruit");
        register("filter-d", "filter-cherry", "fruit");
        waitFor(By.cssSelector("tr[data-service='filter-crabapple']"));
        assertThat(browser.findElements(By.cssSelector("tr[data-service='filter-cherry']"))).isEmpty();
        assertNotReloaded();
    }

    @Test
    void aKeyCreatedEditedAndDeletedInThePageIsSeenThroughTheApi() {
        open("/ui/kv/");
        browser.findElement(By.cssSelector("details.create summary")).click();
        waitFor(By.id("kv-name")).sendKeys("browser/greeting");
        browser.findElement(By.id("kv-value")).sendKeys("hello\nthere");
        browser.findElement(By.cssSelector("details.create button[type=submit]")).click();

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice.ok"), "Created."));
        assertThat(api("GET", "/v1/kv/browser/greeting?raw", "").body()).isEqualTo("hello\nthere");

        WebElement value = browser.findElement(By.id("kv-value"));
        value.clear();
        value.sendKeys("hello, world");
        browser.findElement(By.id("kv-flags")).clear();
        browser.findElement(By.id("kv-flags")).sendKeys("42");
        browser.findElement(By.cssSelector(".kv-form button[type=submit]")).click();

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice.ok"), "Saved."));
        assertThat(api("GET", "/v1/kv/browser/greeting?raw", "").body()).isEqualTo("hello, world");
        assertThat(api("GET", "/v1/kv/browser/greeting", "").body()).contains("\"Flags\":42");

        browser.findElement(By.linkText("Delete key")).click();
        waitFor(By.cssSelector(".confirm button.danger")).click();

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice.ok"), "Deleted."));
        assertThat(api("GET", "/v1/kv/browser/greeting", "").statusCode()).isEqualTo(404);
    }

    /**
     * A browser opens at most six connections to a server, and a live page holds one while its update waits: pages
     * left behind (kept in the back/forward cache) must let theirs go, or after a few of them the page in front
     * could not even post a form.
     */
    @Test
    void pagesLeftBehindDoNotHoldTheConnectionsThePageInFrontNeeds() {
        for (int i = 1; i <= 8; i++) {
            assertThat(api("PUT", "/v1/kv/visited/page" + i, "unchanging").body()).isEqualTo("true");
        }
        for (int i = 1; i <= 8; i++) {
            open("/ui/kv/visited/page" + i);
            waitFor(By.cssSelector("[data-live-status]"));
        }
        open("/ui/kv/visited/");
        browser.findElement(By.cssSelector("details.create summary")).click();
        waitFor(By.id("kv-name")).sendKeys("last");
        browser.findElement(By.cssSelector("details.create button[type=submit]")).click();

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice.ok"), "Created."));
        assertThat(api("GET", "/v1/kv/visited/last", "").statusCode()).isEqualTo(200);
    }

    @Test
    void anEditOfAKeyChangedMeanwhileIsRefusedAndKeepsTheTypedText() {
        assertThat(api("PUT", "/v1/kv/browser/cas", "original").body()).isEqualTo("true");
        open("/ui/kv/browser/cas");
        markPage();
        WebElement value = waitFor(By.id("kv-value"));
        value.clear();
        value.sendKeys("my edit");

        assertThat(api("PUT", "/v1/kv/browser/cas", "their edit").body()).isEqualTo("true");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#live .notice.warn"),
                "changed by someone else"));
        assertNotReloaded();
        assertThat(browser.findElement(By.id("kv-value")).getAttribute("value")).isEqualTo("my edit");

        browser.findElement(By.cssSelector(".kv-form button[type=submit]")).click();

        WebElement error = waitFor(By.cssSelector(".notice.error"));
        assertThat(error.getText()).contains("Not saved", "someone else changed this key");
        assertThat(browser.findElement(By.id("kv-value")).getAttribute("value")).isEqualTo("my edit");
        assertThat(browser.findElement(By.cssSelector("pre.value")).getText()).contains("their edit");
        assertThat(api("GET", "/v1/kv/browser/cas?raw", "").body()).isEqualTo("their edit");
    }

    @Test
    void keyNamesWithSpacesAndSymbolsRoundTrip() {
        open("/ui/kv/");
        browser.findElement(By.cssSelector("details.create summary")).click();
        waitFor(By.id("kv-name")).sendKeys("odd dir/50% off #1?");
        browser.findElement(By.id("kv-value")).sendKeys("yes");
        browser.findElement(By.cssSelector("details.create button[type=submit]")).click();

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice.ok"), "Created."));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("odd dir/50% off #1?");
        assertThat(api("GET", "/v1/kv/odd%20dir/50%25%20off%20%231%3F?raw", "").body()).isEqualTo("yes");

        browser.findElement(By.linkText("odd dir/")).click();
        waitFor(By.cssSelector("[data-key='odd dir/50% off #1?'] a")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "odd dir/50% off #1?"));
    }

    @Test
    void aFolderIsDeletedAfterConfirmation() {
        api("PUT", "/v1/kv/doomed/a", "1");
        api("PUT", "/v1/kv/doomed/deeper/b", "2");
        open("/ui/kv/");
        waitFor(By.cssSelector("[data-key='doomed/'] a")).click();
        waitFor(By.cssSelector("[data-key='doomed/deeper/']"));

        browser.findElement(By.linkText("Delete folder")).click();
        assertThat(waitFor(By.cssSelector(".confirm")).getText()).contains("every key under doomed/ (2 keys)");
        browser.findElement(By.cssSelector(".confirm button.danger")).click();

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice.ok"), "Deleted."));
        assertThat(api("GET", "/v1/kv/doomed/?recurse", "").statusCode()).isEqualTo(404);
    }

    @Test
    void aMissingServiceOrKeyIsAFriendlyPage() {
        open("/ui/services/not-registered");
        assertThat(waitFor(By.tagName("h1")).getText()).isEqualTo("Service not found");
        open("/ui/kv/no/such/key");
        assertThat(waitFor(By.tagName("h1")).getText()).isEqualTo("Key not found");
        assertThat(browser.getPageSource()).doesNotContain("Exception");
    }

    /** Fills the catalog with a small, varied example and saves the main pages as PNG files. */
    @Test
    @EnabledIfSystemProperty(named = "beacon.screenshots", matches = ".+")
    void screenshotsOfTheMainPages() throws IOException {
        Path out = Files.createDirectories(Path.of(System.getProperty("beacon.screenshots")));
        register("web-2", "web", "v2");
        register("web-3", "web", "v2");
        api("PUT", "/v1/agent/check/warn/service:web-3?note=latency%20above%20200ms", "");
        for (String[] s : new String[][] {{"api", "10.0.1.5", "passing"}, {"payments", "10.0.1.6", "critical"},
                {"search", "10.0.1.7", "passing"}}) {
            api("PUT", "/v1/catalog/register", "{\"Node\":\"worker-" + s[0] + "\",\"Address\":\"" + s[1] + "\","
                    + "\"Service\":{\"ID\":\"" + s[0] + "-1\",\"Service\":\"" + s[0] + "\",\"Tags\":[\"prod\"],"
                    + "\"Port\":9000},\"Check\":{\"CheckID\":\"" + s[0] + ":http\",\"Name\":\"HTTP health\","
                    + "\"ServiceID\":\"" + s[0] + "-1\",\"Status\":\"" + s[2] + "\","
                    + "\"Output\":\"HTTP GET http://" + s[1] + ":9000/health: " + ("passing".equals(s[2])
                    ? "200 OK" : "503 Service Unavailable") + "\"}}");
        }
        api("PUT", "/v1/kv/config/web/feature-flags", "{\n  \"new-checkout\": true,\n  \"dark-mode\": false\n}\n");
        api("PUT", "/v1/kv/config/web/max-connections", "512");
        api("PUT", "/v1/kv/config/payments/timeout", "30s");

        shoot("/ui/services", "tr[data-service='web']", out.resolve("services.png"));
        shoot("/ui/services/web", "[data-instance='web-3']", out.resolve("service.png"));
        shoot("/ui/nodes", "tr[data-node='worker-api']", out.resolve("nodes.png"));
        shoot("/ui/kv/config/web/", "[data-key='config/web/max-connections']", out.resolve("kv-folder.png"));
        shoot("/ui/kv/config/web/feature-flags", "#kv-value", out.resolve("kv-key.png"));
        shoot("/ui/cluster", "[data-server]", out.resolve("cluster.png"));
        browser.manage().window().setSize(new Dimension(390, 844));
        try {
            shoot("/ui/services", "tr[data-service='web']", out.resolve("services-phone.png"));
        } finally {
            browser.manage().window().setSize(new Dimension(1280, 900));
        }
    }

    private void shoot(String path, String readyWhenVisible, Path file) throws IOException {
        open(path);
        waitFor(By.cssSelector(readyWhenVisible));
        Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        assertThat(Files.size(file)).isPositive();
    }
}
