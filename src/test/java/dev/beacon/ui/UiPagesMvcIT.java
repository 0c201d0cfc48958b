package dev.beacon.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import dev.beacon.state.KvEntry;
import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.web.context.WebApplicationContext;

/** The UI controllers through Spring MVC (MockMvc) on a real single-server Beacon: pages, writes, errors. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UiPagesMvcIT {
    private BeaconNode node;
    private MockMvcTester mvc;

    @BeforeAll
    void start(@TempDir Path dir) {
        node = new BeaconNode("ui-mvc", "127.0.0.1", TestCluster.freePort(), List.of(), dir).start();
        await().atMost(TestCluster.FORMATION).until(() -> node.cluster().isReady() && node.cluster().isLeader());
        mvc = MockMvcTester.from((WebApplicationContext) node.context());
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
        assertThat(mvc.put().uri("/v1/catalog/register").contentType(MediaType.APPLICATION_JSON).content(body))
                .hasStatusOk().bodyText().isEqualTo("true");
    }

    private MvcTestResult get(String uri) {
        return mvc.get().uri(uri).exchange();
    }

    private MvcTestResult post(String uri, String... params) {
        var request = mvc.post().uri(uri).contentType(MediaType.APPLICATION_FORM_URLENCODED);
        for (int i = 0; i + 1 < params.length; i += 2) {
            request = request.param(params[i], params[i + 1]);
        }
        return request.exchange();
    }

    private KvEntry kv(String key) {
        return node.store().kvGet(key).value();
    }

    @Test
    void theRootAndTheUiRootLeadToTheServicesPage() {
        assertThat(get("/")).hasStatus3xxRedirection().hasRedirectedUrl("/ui/");
        assertThat(get("/ui")).hasStatus3xxRedirection().hasRedirectedUrl("/ui/");
        assertThat(get("/ui/")).hasStatus3xxRedirection().hasRedirectedUrl("/ui/services");
    }

    @Test
    void theServicesListShowsInstanceCountsHealthByWordAndTags() {
        MvcTestResult page = get("/ui/services");

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
        MvcTestResult page = get("/ui/services/payments");

        assertThat(page).hasStatusOk();
        String html = html(page);
        String pay2 = section(html, "data-instance=\"pay-2\"");
        assertThat(pay2).contains("m2", "10.1.0.2:8080", ">green<", ">team<", ">core<",
                "data-status=\"critical\"", "connection refused", "last change at index");
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
        MvcTestResult fragment = get("/ui/services?fragment=1&q=pay");

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
        assertThat(row(list, "data-node=\"ui-mvc\"")).contains("data-status=\"passing\"");

        assertThat(get("/ui/nodes/m1")).hasStatusOk().bodyText()
                .contains("10.1.0.1", "payments", "pay-1", "all good", "Node checks");
    }

    @Test
    void theDatacenterSelectorAppearsWithASecondDatacenterAndFilters() {
        assertThat(get("/ui/services")).bodyText().contains("id=\"dc-select\"", "<option value=\"dc-east\"");
        assertThat(get("/ui/services?dc=dc-east")).bodyText().contains("data-service=\"inventory\"")
                .doesNotContain("data-service=\"payments\"").contains("href=\"/ui/nodes?dc=dc-east\"");
        assertThat(get("/ui/nodes?dc=dc-east")).bodyText().contains("data-node=\"m3\"")
                .doesNotContain("data-node=\"m1\"");
    }

    @Test
    void theClusterPageShowsTheLeaderAndEachServersState() {
        MvcTestResult page = get("/ui/cluster");

        assertThat(page).hasStatusOk();
        String leader = node.cluster().leader().orElseThrow();
        assertThat(page).bodyText().contains("leader " + leader, "ui-mvc", ">leader<", "reachable", "(this server)");
    }

    @Test
    void keysAreCreatedIntoAFolderAndACreateOverAnExistingKeyIsRefusedKeepingTheText() {
        assertThat(post("/ui/kv/mvc/", "action", "create", "name", "greeting", "value", "hello\r\nworld",
                "flags", "7")).hasStatus(HttpStatus.SEE_OTHER).hasRedirectedUrl("/ui/kv/mvc/greeting?done=created");
        KvEntry created = kv("mvc/greeting");
        assertThat(new String(created.value())).isEqualTo("hello\nworld");
        assertThat(created.flags()).isEqualTo(7);

        MvcTestResult again = post("/ui/kv/mvc/", "action", "create", "name", "greeting", "value", "typed text");
        assertThat(again).hasStatus(HttpStatus.CONFLICT).bodyText().contains("already exists", "typed text");
        assertThat(new String(kv("mvc/greeting").value())).isEqualTo("hello\nworld");

        assertThat(get("/ui/kv/mvc/")).hasStatusOk().bodyText().contains("data-key=\"mvc/greeting\"");
        assertThat(get("/ui/kv/")).bodyText().contains("data-key=\"mvc/\"");
        assertThat(get("/ui/kv/mvc/greeting?done=created")).hasStatusOk().bodyText()
                .contains("Created.", "hello\nworld");
    }

    @Test
    void anEditAgainstAChangedKeyIsRefusedAndKeepsWhatTheUserTyped() {
        assertThat(post("/ui/kv/cas/", "action", "create", "name", "k", "value", "v1"))
                .hasStatus(HttpStatus.SEE_OTHER);
        long loadedAt = kv("cas/k").modifyIndex();
        node.replicator().submit(new dev.beacon.state.Command.KvSet("cas/k", "theirs".getBytes(), 0, -1)).join();

        MvcTestResult refused = post("/ui/kv/cas/k", "action", "save", "index", Long.toString(loadedAt),
                "value", "mine", "flags", "0");

        assertThat(refused).hasStatus(HttpStatus.CONFLICT).bodyText()
                .contains("someone else changed this key", "mine", "theirs");
        assertThat(new String(kv("cas/k").value())).isEqualTo("theirs");

        long current = kv("cas/k").modifyIndex();
        assertThat(post("/ui/kv/cas/k", "action", "save", "index", Long.toString(current), "value", "mine",
                "flags", "0")).hasStatus(HttpStatus.SEE_OTHER).hasRedirectedUrl("/ui/kv/cas/k?done=saved");
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
                .hasStatus(HttpStatus.SEE_OTHER).hasRedirectedUrl("/ui/kv/del/?done=deleted");
        assertThat(kv("del/k")).isNull();
        assertThat(get("/ui/kv/del/k")).hasStatus(HttpStatus.NOT_FOUND).bodyText().contains("Key not found");
    }

    @Test
    void aFolderIsDeletedWithEverythingUnderItAfterConfirmation() {
        post("/ui/kv/tree/", "action", "create", "name", "a", "value", "1");
        post("/ui/kv/tree/", "action", "create", "name", "sub/b", "value", "2");
        post("/ui/kv/", "action", "create", "name", "tree-sibling", "value", "3");

        assertThat(get("/ui/kv/tree/?delete")).hasStatusOk().bodyText().contains("every key under tree/ (2 keys)");
        assertThat(post("/ui/kv/tree/", "action", "delete-folder")).hasStatus(HttpStatus.SEE_OTHER)
                .hasRedirectedUrl("/ui/kv/?done=deleted");

        assertThat(node.store().kvList("tree/").value()).isEmpty();
        assertThat(kv("tree-sibling")).isNotNull();
        assertThat(get("/ui/kv/tree/")).hasStatus(HttpStatus.NOT_FOUND).bodyText().contains("Folder not found");
    }

    @Test
    void aWritePostedFromAnotherSiteIsRefused() {
        assertThat(mvc.post().uri("/ui/kv/").header("Origin", "http://evil.example")
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .param("action", "create").param("name", "csrf").param("value", "x"))
                .hasStatus(HttpStatus.FORBIDDEN).bodyText().contains("another site");
        assertThat(mvc.post().uri("/ui/kv/").header("Sec-Fetch-Site", "cross-site")
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .param("action", "create").param("name", "csrf").param("value", "x"))
                .hasStatus(HttpStatus.FORBIDDEN);
        assertThat(kv("csrf")).isNull();
        assertThat(mvc.post().uri("/ui/kv/").header("Origin", "http://localhost").header("Host", "localhost")
                .header("Sec-Fetch-Site", "same-origin").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .param("action", "create").param("name", "same-site").param("value", "x"))
                .hasStatus(HttpStatus.SEE_OTHER);
        assertThat(kv("same-site")).isNotNull();
    }

    @Test
    void staticAssetsAreServedAndTheApiIsUntouchedByTheUiCatchAll() {
        assertThat(get("/ui/assets/beacon.css")).hasStatusOk().bodyText().contains(".status.critical");
        assertThat(get("/ui/assets/beacon.js")).hasStatusOk();
        assertThat(get("/v1/kv/no-such-key")).hasStatus(HttpStatus.NOT_FOUND).bodyText().isEmpty();
    }

    private static String html(MvcTestResult result) {
        try {
            return result.getResponse().getContentAsString(StandardCharsets.UTF_8);
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
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
