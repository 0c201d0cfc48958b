package dev.beacon.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.beacon.state.KvEntry;
import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.web.reactive.server.assertj.WebTestClientResponse;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

/** The UI pages over real HTTP on a real single-server Beacon: pages, writes, errors. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UiPagesIT {
    private BeaconNode node;
    private WebTestClient http;

    @BeforeAll
    void start(@TempDir Path dir) {
        node = new BeaconNode("ui-pages", "127.0.0.1", TestCluster.freePort(), List.of(), dir).start();
        await().atMost(TestCluster.FORMATION).until(() -> node.cluster().isReady() && node.cluster().isLeader());
        // Writes answer once this replica applied them, which can take a few seconds on a busy machine.
        http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + node.httpPort())
                .responseTimeout(Duration.ofSeconds(30)).build();
        register("m1", "10.1.0.1", "dc1", "pay-1", "payments", "blue", "passing", "all good");
        register("m2", "10.1.0.2", "dc1", "pay-2", "payments", "green", "critical", "connection refused");
        register("m3", "10.3.0.3", "dc-east", "inv-1", "inventory", "east", "warning", "slow");
    }

    @AfterAll
    void stop() {
        node.close();
    }

    private void register(String nodeName, String address, String dc, String id, String service, String tag,
                          String status, String output) {
        String body = "{\"Node\":\"" + nodeName + "\",\"Address\":\"" + address + "\",\"Datacenter\":\"" + dc + "\","
                + "\"Service\":{\"ID\":\"" + id + "\",\"Service\":\"" + service + "\",\"Tags\":[\"" + tag + "\"],"
                + "\"Port\":8080,\"Meta\":{\"team\":\"core\"}},"
                + "\"Check\":{\"Name\":\"http\",\"CheckID\":\"" + id + ":http\",\"ServiceID\":\"" + id + "\","
                + "\"Status\":\"" + status + "\",\"Output\":\"" + output + "\"}}";
        assertThat(WebTestClientResponse.from(http.put().uri("/v1/catalog/register")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()))
                .hasStatusOk().bodyText().isEqualTo("true");
    }

    private WebTestClientResponse get(String uri) {
        return WebTestClientResponse.from(http.get().uri(uri).exchange());
    }

    private WebTestClientResponse post(String uri, String... params) {
        return post(uri, new HttpHeaders(), params);
    }

    /** A form post the way a browser sends one; {@code params} are names and values in turn. */
    private WebTestClientResponse post(String uri, HttpHeaders headers, String... params) {
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        for (int i = 0; i + 1 < params.length; i += 2) {
            form.add(params[i], params[i + 1]);
        }
        return WebTestClientResponse.from(http.post().uri(uri).headers(h -> h.addAll(headers))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).body(BodyInserters.fromFormData(form))
                .exchange());
    }

    private static HttpHeaders headers(String... namesAndValues) {
        HttpHeaders headers = new HttpHeaders();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            headers.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }

    private KvEntry kv(String key) {
        return node.store().kvGet(key).value();
    }

    @Test
    void theRootAndTheUiRootLeadToTheServicesPage() {
        assertThat(get("/")).hasStatus(HttpStatus.FOUND).hasHeader("Location", "/ui/");
        assertThat(get("/ui")).hasStatus(HttpStatus.FOUND).hasHeader("Location", "/ui/");
        assertThat(get("/ui/")).hasStatus(HttpStatus.FOUND).hasHeader("Location", "/ui/services");
    }

    @Test
    void theServicesListShowsInstanceCountsHealthByWordAndTags() {
        WebTestClientResponse page = get("/ui/services");

        assertThat(page).hasStatusOk().hasContentTypeCompatibleWith(MediaType.TEXT_HTML);
        String html = html(page);
        String payments = row(html, "data-service=\"payments\"");
        assertThat(payments).contains(">2<", "1 passing", "1 critical", ">blue<", ">green<");
        assertThat(row(html, "data-service=\"inventory\"")).contains("1 warning", ">east<");
        assertThat(html).contains("data-live=\"/ui/services\"", "<script src=\"/ui/assets/beacon.js\"",
                "<a href=\"/ui/nodes\">Nodes</a>")
                .containsPattern("<a href=\"/ui/services\"\\s+aria-current=\"page\" class=\"active\">Services</a>");
    }

    @Test
    void servicesFilterByNameAndByTag() {
        assertThat(get("/ui/services?q=PAY")).bodyText().contains("data-service=\"payments\"")
                .doesNotContain("data-service=\"inventory\"");
        assertThat(get("/ui/services?tag=east")).bodyText().contains("data-service=\"inventory\"")
                .doesNotContain("data-service=\"payments\"")
                .contains("data-live=\"/ui/services?tag=east\"");
    }

    @Test
    void aServicePageShowsEachInstanceWithNodeAddressTagsMetaAndChecks() {
        WebTestClientResponse page = get("/ui/services/payments");

        assertThat(page).hasStatusOk();
        String html = html(page);
        String pay2 = section(html, "data-instance=\"pay-2\"");
        assertThat(pay2).contains("m2", "10.1.0.2:8080", ">green<", ">team<", ">core<",
                "data-status=\"critical\"", "connection refused")
                .containsPattern("critical since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC");
        assertThat(html.indexOf("data-instance=\"pay-2\"")).as("critical first")
                .isLessThan(html.indexOf("data-instance=\"pay-1\""));
    }

    @Test
    void aMissingServiceOrNodeIsAFriendly404() {
        assertThat(get("/ui/services/nope")).hasStatus(HttpStatus.NOT_FOUND).bodyText()
                .contains("Service not found", "nope", "All services").doesNotContain("Exception", "at dev.");
        assertThat(get("/ui/nodes/nope")).hasStatus(HttpStatus.NOT_FOUND).bodyText().contains("Node not found");
        assertThat(get("/ui/no-such-page")).hasStatus(HttpStatus.NOT_FOUND).bodyText().contains("Page not found");
    }

    @Test
    void malformedInputIsABadRequestPageNotAStackTrace() {
        assertThat(get("/ui/services?index=abc")).hasStatus(HttpStatus.BAD_REQUEST).bodyText()
                .contains("could not be understood").doesNotContain("Exception");
        assertThat(get("/ui/services?index=-1")).hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(post("/ui/kv/", "action", "explode")).hasStatus(HttpStatus.BAD_REQUEST);
    }

    @Test
    void aLiveRefreshGetsOnlyTheLiveSectionWithItsIndex() {
        WebTestClientResponse fragment = get("/ui/services?fragment=1&q=pay");

        assertThat(fragment).hasStatusOk();
        String html = html(fragment).trim();
        assertThat(html).startsWith("<section id=\"live\"").doesNotContain("<html", "<header")
                .containsPattern("data-index=\"[1-9][0-9]*\"").contains("data-live=\"/ui/services?q=pay\"");
    }

    @Test
    void nodesListAndNodePageShowAddressDatacenterHealthServicesAndChecks() {
        String list = html(get("/ui/nodes"));
        assertThat(row(list, "data-node=\"m2\"")).contains("10.1.0.2", "dc1", "data-status=\"critical\"");
        assertThat(row(list, "data-node=\"m3\"")).contains("dc-east", "data-status=\"warning\"");
        assertThat(row(list, "data-node=\"ui-pages\"")).contains("data-status=\"passing\"");

        assertThat(get("/ui/nodes/m1")).hasStatusOk().bodyText()
                .contains("10.1.0.1", "payments", "pay-1", "all good", "Node checks");
    }

    @Test
    void withOneDatacenterThereIsNoSelectorAndAnUnknownOneHasNoPath() {
        assertThat(get("/ui/services")).bodyText().doesNotContain("id=\"dc-select\"")
                .contains("data-service=\"inventory\"", "data-service=\"payments\"");
        WebTestClientResponse unknown = get("/ui/services?dc=dc-east");
        assertThat(unknown).hasStatus(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(unknown).bodyText().contains("No server of datacenter \u201cdc-east\u201d can be reached");
    }

    @Test
    void theClusterPageShowsTheLeaderAndEachServersState() {
        WebTestClientResponse page = get("/ui/cluster");

        assertThat(page).hasStatusOk();
        String leader = node.cluster().leader().orElseThrow();
        assertThat(page).bodyText().contains("leader " + leader, "ui-pages", ">leader<", "reachable", "(this server)");
    }

    @Test
    void keysAreCreatedIntoAFolderAndACreateOverAnExistingKeyIsRefusedKeepingTheText() {
        assertThat(post("/ui/kv/pages/", "action", "create", "name", "greeting", "value", "hello\r\nworld",
                "flags", "7")).hasStatus(HttpStatus.SEE_OTHER)
                .hasHeader("Location", "/ui/kv/pages/greeting?done=created");
        KvEntry created = kv("pages/greeting");
        assertThat(new String(created.value())).isEqualTo("hello\nworld");
        assertThat(created.flags()).isEqualTo(7);

        WebTestClientResponse again = post("/ui/kv/pages/", "action", "create", "name", "greeting",
                "value", "typed text");
        assertThat(again).hasStatus(HttpStatus.CONFLICT).bodyText().contains("already exists", "typed text");
        assertThat(new String(kv("pages/greeting").value())).isEqualTo("hello\nworld");

        assertThat(get("/ui/kv/pages/")).hasStatusOk().bodyText().contains("data-key=\"pages/greeting\"");
        assertThat(get("/ui/kv/")).bodyText().contains("data-key=\"pages/\"");
        assertThat(get("/ui/kv/pages/greeting?done=created")).hasStatusOk().bodyText()
                .contains("Created.", "hello\nworld");
    }

    @Test
    void anEditAgainstAChangedKeyIsRefusedAndKeepsWhatTheUserTyped() {
        assertThat(post("/ui/kv/cas/", "action", "create", "name", "k", "value", "v1"))
                .hasStatus(HttpStatus.SEE_OTHER);
        long loadedAt = kv("cas/k").modifyIndex();
        node.replicator().submit(new dev.beacon.state.Command.KvSet("cas/k", "theirs".getBytes(), 0, -1)).join();

        WebTestClientResponse refused = post("/ui/kv/cas/k", "action", "save", "index", Long.toString(loadedAt),
                "value", "mine", "flags", "0");

        assertThat(refused).hasStatus(HttpStatus.CONFLICT).bodyText()
                .contains("someone else changed this key", "mine", "theirs");
        assertThat(new String(kv("cas/k").value())).isEqualTo("theirs");

        long current = kv("cas/k").modifyIndex();
        assertThat(post("/ui/kv/cas/k", "action", "save", "index", Long.toString(current), "value", "mine",
                "flags", "0")).hasStatus(HttpStatus.SEE_OTHER).hasHeader("Location", "/ui/kv/cas/k?done=saved");
        assertThat(new String(kv("cas/k").value())).isEqualTo("mine");
    }

    @Test
    void badFlagsAreRefusedKeepingTheText() {
        assertThat(post("/ui/kv/flags/", "action", "create", "name", "x", "value", "keep me", "flags", "-3"))
                .hasStatus(HttpStatus.BAD_REQUEST).bodyText().contains("Flags must be", "keep me");
        assertThat(kv("flags/x")).isNull();
    }

    @Test
    void aKeyIsDeletedOnlyAtTheIndexItWasSeenAt() {
        post("/ui/kv/del/", "action", "create", "name", "k", "value", "v");
        long seen = kv("del/k").modifyIndex();
        assertThat(get("/ui/kv/del/k?delete")).hasStatusOk().bodyText().contains("Delete key del/k?");
        node.replicator().submit(new dev.beacon.state.Command.KvSet("del/k", "changed".getBytes(), 0, -1)).join();

        assertThat(post("/ui/kv/del/k", "action", "delete", "index", Long.toString(seen)))
                .hasStatus(HttpStatus.CONFLICT).bodyText().contains("Not deleted");
        assertThat(kv("del/k")).isNotNull();

        assertThat(post("/ui/kv/del/k", "action", "delete", "index", Long.toString(kv("del/k").modifyIndex())))
                .hasStatus(HttpStatus.SEE_OTHER).hasHeader("Location", "/ui/kv/del/?done=deleted");
        assertThat(kv("del/k")).isNull();
        assertThat(get("/ui/kv/del/?done=deleted")).as("the folder its last key left, shown empty with the notice")
                .hasStatusOk().bodyText().contains("Deleted.", "No keys here yet");
        assertThat(get("/ui/kv/del/k")).hasStatus(HttpStatus.NOT_FOUND).bodyText().contains("Key not found");
    }

    @Test
    void aFolderIsDeletedWithEverythingUnderItAfterConfirmation() {
        post("/ui/kv/tree/", "action", "create", "name", "a", "value", "1");
        post("/ui/kv/tree/", "action", "create", "name", "sub/b", "value", "2");
        post("/ui/kv/", "action", "create", "name", "tree-sibling", "value", "3");

        assertThat(get("/ui/kv/tree/?delete")).hasStatusOk().bodyText().contains("every key under tree/ (2 keys)");
        assertThat(post("/ui/kv/tree/", "action", "delete-folder")).hasStatus(HttpStatus.SEE_OTHER)
                .hasHeader("Location", "/ui/kv/?done=deleted");

        assertThat(node.store().kvList("tree/").value()).isEmpty();
        assertThat(kv("tree-sibling")).isNotNull();
        assertThat(get("/ui/kv/tree/")).hasStatus(HttpStatus.NOT_FOUND).bodyText().contains("Folder not found");
    }

    @Test
    void aWritePostedFromAnotherSiteIsRefused() {
        assertThat(post("/ui/kv/", headers("Origin", "http://evil.example"),
                "action", "create", "name", "csrf", "value", "x"))
                .hasStatus(HttpStatus.FORBIDDEN).bodyText().contains("another site");
        assertThat(post("/ui/kv/", headers("Sec-Fetch-Site", "cross-site"),
                "action", "create", "name", "csrf", "value", "x"))
                .hasStatus(HttpStatus.FORBIDDEN);
        assertThat(kv("csrf")).isNull();
        assertThat(post("/ui/kv/", headers("Origin", "http://localhost", "Host", "localhost",
                "Sec-Fetch-Site", "same-origin"), "action", "create", "name", "same-site", "value", "x"))
                .hasStatus(HttpStatus.SEE_OTHER);
        assertThat(kv("same-site")).isNotNull();
    }

    @Test
    void staticAssetsAreServedAndTheApiIsUntouchedByTheUiCatchAll() {
        assertThat(get("/ui/assets/beacon.css")).hasStatusOk().bodyText().contains(".status.critical");
        assertThat(get("/ui/assets/beacon.js")).hasStatusOk();
        assertThat(get("/v1/kv/no-such-key")).hasStatus(HttpStatus.NOT_FOUND).bodyText().isEmpty();
    }

    private static String html(WebTestClientResponse result) {
        return new String(result.getExchangeResult().getResponseBodyContent(), StandardCharsets.UTF_8);
    }

    /** The table row that carries the marker. */
    private static String row(String html, String marker) {
        int at = html.indexOf(marker);
        assertThat(at).as(marker).isPositive();
        return html.substring(at, html.indexOf("</tr>", at));
    }

    /** The instance card that carries the marker. */
    private static String section(String html, String marker) {
        int at = html.indexOf(marker);
        assertThat(at).as(marker).isPositive();
        return html.substring(at, html.indexOf("</article>", at));
    }
}
