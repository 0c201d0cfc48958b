package dev.beacon.ui;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionException;

import dev.beacon.api.Caller;
import dev.beacon.api.kv.KvKeys;
import dev.beacon.cluster.ClusterUnavailableException;
import dev.beacon.cluster.NoLeaderException;
import dev.beacon.cluster.NoSpaceException;
import dev.beacon.state.Command;
import dev.beacon.state.Indexed;
import dev.beacon.state.KvEntry;
import dev.beacon.state.Outcome;
import dev.beacon.state.Query;
import dev.beacon.state.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;

/**
 * The KV browser. {@code /ui/kv/<path>/} is a folder, {@code /ui/kv/<key>} a key. Writes compare-and-set against
 * the index the form was loaded at, so an edit of a key someone else changed meanwhile is refused (and the text
 * typed is kept) instead of overwriting their change.
 */
@Controller
class KvPageController {
    private static final Logger log = LoggerFactory.getLogger(KvPageController.class);
    private static final String NO_LEADER = "The cluster has no leader right now, so nothing was written. "
            + "Your text is kept below; try again in a moment.";
    private static final String UNCONFIRMED = "The cluster did not confirm the write in time: it may still be "
            + "applied. Your text is kept below; reload the key to see what it holds before trying again.";
    private static final String NO_SPACE = "The cluster's storage quota is reached, so nothing was written. "
            + "Delete keys you no longer need, then try again.";
    private static final String NO_LEADER_DELETE = "The cluster has no leader right now, so nothing was deleted. "
            + "Try again in a moment.";
    private static final String UNCONFIRMED_DELETE = "The cluster did not confirm the delete in time: it may still "
            + "be applied. Reload the page to see what is there before trying again.";

    private final UiReads reads;
    private final UiLayout layout;
    private final KvWrites writes;
    private final Store store;
    private final UiAccess access;

    KvPageController(UiReads reads, UiLayout layout, KvWrites writes, Store store, UiAccess access) {
        this.reads = reads;
        this.layout = layout;
        this.writes = writes;
        this.store = store;
        this.access = access;
    }

    /** What a form posted, kept to show again when the write is refused. */
    record Form(String name, String value, String flags, long index) {
    }

    /**
     * A form as posted. Bound with {@code @ModelAttribute}, which reads the form body as well as the query: on
     * WebFlux {@code @RequestParam} reads only the query. A field not sent is null, and so is an empty index.
     */
    record Posted(String action, String name, String value, String flags, Long index) {
    }

    @GetMapping("/ui/kv")
    Rendering root() {
        return UiRedirects.found("/ui/kv/");
    }

    @GetMapping("/ui/kv/**")
    Mono<Rendering> view(ServerHttpRequest request,
                         @RequestParam(defaultValue = "0") long index,
                         @RequestParam(defaultValue = "0") long since,
                         @RequestParam(name = UiLayout.FRAGMENT, required = false) String fragment,
                         @RequestParam(required = false) String done,
                         @RequestParam(required = false) String dc) {
        String path = path(request);
        boolean isFragment = fragment != null;
        Caller caller = access.caller(request);
        String remote = reads.remote(dc);
        if (isFolder(path)) {
            return reads.read(new Query.KvKeys(path), index, remote).map(r -> {
                List<KvTree.Item> items = KvTree.inDatacenter(KvTree.children(path, readable(r.value(), caller)),
                        remote);
                if (!path.isEmpty() && r.value().isEmpty() && !isFragment) {
                    throw new UiNotFound("Folder", path, KvTree.href(KvTree.parent(path)), "Parent folder");
                }
                return folderPage(path, isFragment, r.index(), items, remote)
                        .modelAttribute("message", doneMessage(done))
                        .modelAttribute("form", new Form("", "", "0", 0))
                        .build();
            });
        }
        UiAccess.require(caller.permissions().keyRead(path), "key:read", path);
        return reads.read(new Query.KvGet(path), index, remote).map(r -> {
            KvEntry entry = r.value();
            if (entry == null && !isFragment) {
                throw new UiNotFound("Key", path, KvTree.href(KvTree.parent(path)), "Parent folder");
            }
            long seen = isFragment ? since : entry.modifyIndex();
            Rendering.Builder<?> page = keyPage(path, isFragment, entry, r.index(), seen, remote);
            if (!isFragment) {
                page.modelAttribute("message", doneMessage(done))
                        .modelAttribute("form", new Form("", textOf(entry), Long.toUnsignedString(entry.flags()),
                                entry.modifyIndex()));
            }
            return page.build();
        });
    }

    /** Asks before deleting a key or a whole folder. */
    @GetMapping(value = "/ui/kv/**", params = "delete")
    Rendering confirmDelete(ServerHttpRequest request) {
        String path = path(request);
        if (path.isEmpty()) {
            throw new UiBadRequest("the top level cannot be deleted as a folder");
        }
        requireWrite(access.caller(request), path, isFolder(path));
        Rendering.Builder<?> page = layout.view("kv-delete", false, "Delete " + path, "kv", null)
                .modelAttribute("path", path)
                .modelAttribute("crumbs", KvTree.crumbs(path));
        if (isFolder(path)) {
            int count = store.query(new Query.KvKeys(path)).value().size();
            if (count == 0) {
                throw new UiNotFound("Folder", path, KvTree.href(KvTree.parent(path)), "Parent folder");
            }
            page.modelAttribute("folder", true).modelAttribute("count", count);
        } else {
            KvEntry entry = store.kvGet(path).value();
            if (entry == null) {
                throw new UiNotFound("Key", path, KvTree.href(KvTree.parent(path)), "Parent folder");
            }
            page.modelAttribute("folder", false).modelAttribute("entryIndex", entry.modifyIndex());
        }
        return page.modelAttribute("action", KvTree.href(path))
                .modelAttribute("cancel", KvTree.href(path))
                .build();
    }

    @PostMapping("/ui/kv/**")
    Mono<Rendering> write(ServerHttpRequest request, @ModelAttribute Posted posted) {
        if (posted.action() == null) {
            throw new ServerWebInputException("Required form field 'action' is not present");
        }
        SameOrigin.require(request);
        String path = path(request);
        Caller caller = access.caller(request);
        String written = "create".equals(posted.action()) ? path + (posted.name() == null ? "" : posted.name())
                : path;
        requireWrite(caller, written, "delete-folder".equals(posted.action()));
        // An empty flags field (the user cleared it) means no flags, as an absent one does.
        String flags = posted.flags() == null || posted.flags().isEmpty() ? "0" : posted.flags();
        Form form = new Form(posted.name() == null ? "" : posted.name(), UiText.fromTextArea(posted.value()), flags,
                posted.index() == null ? 0 : posted.index());
        return switch (posted.action()) {
            case "create" -> create(path, form, caller);
            case "save" -> save(path, form);
            case "delete" -> delete(path, form);
            case "delete-folder" -> deleteFolder(path, caller);
            default -> throw new UiBadRequest("unknown action " + posted.action());
        };
    }

    private Mono<Rendering> create(String folder, Form form, Caller caller) {
        if (!isFolder(folder)) {
            throw new UiBadRequest("keys are created in a folder");
        }
        String key = folder + form.name();
        String problem = form.name().isEmpty() ? "Give the key a name." : checkWrite(key, form);
        if (problem != null) {
            return Mono.just(refusedCreate(folder, form, problem, HttpStatus.BAD_REQUEST, caller));
        }
        // A name ending in the separator makes an empty folder key, as Consul's UI does.
        byte[] value = isFolder(key) ? new byte[0] : form.value().getBytes(StandardCharsets.UTF_8);
        Command command = new Command.KvSet(key, value, Long.parseUnsignedLong(form.flags().trim()), 0);
        return EventLoopHop.onEventLoop(writes.submit(command).handle((outcome, error) -> {
            if (error != null) {
                if (isNoSpace(error)) {
                    return refusedCreate(folder, form, NO_SPACE, HttpStatus.INSUFFICIENT_STORAGE, caller);
                }
                logFailure("create of " + key, error);
                return refusedCreate(folder, form, unconfirmed(error) ? UNCONFIRMED : NO_LEADER,
                        HttpStatus.SERVICE_UNAVAILABLE, caller);
            }
            if (!outcome.success()) {
                return refusedCreate(folder, form, outcome.error() != null ? outcome.error()
                        : "A key named \u201c" + key + "\u201d already exists, so nothing was created. "
                        + "Pick another name, or open that key to edit it.", HttpStatus.CONFLICT, caller);
            }
            return redirect(key, "created");
        }));
    }

    private Mono<Rendering> save(String key, Form form) {
        if (isFolder(key)) {
            throw new UiBadRequest("a folder has no value to save");
        }
        String problem = checkWrite(key, form);
        if (problem != null) {
            return Mono.just(refusedSave(key, form, problem, form.index(), HttpStatus.BAD_REQUEST));
        }
        Command command = new Command.KvSet(key, form.value().getBytes(StandardCharsets.UTF_8),
                Long.parseUnsignedLong(form.flags().trim()), form.index());
        return EventLoopHop.onEventLoop(writes.submit(command).handle((outcome, error) -> {
            if (error != null) {
                if (isNoSpace(error)) {
                    return refusedSave(key, form, NO_SPACE, form.index(), HttpStatus.INSUFFICIENT_STORAGE);
                }
                logFailure("save of " + key, error);
                return refusedSave(key, form, unconfirmed(error) ? UNCONFIRMED : NO_LEADER, form.index(),
                        HttpStatus.SERVICE_UNAVAILABLE);
            }
            if (!outcome.success()) {
                return refusedSave(key, form, conflict(key, outcome, "saved"), currentIndex(key),
                        HttpStatus.CONFLICT);
            }
            return redirect(key, "saved");
        }));
    }

    private Mono<Rendering> delete(String key, Form form) {
        if (isFolder(key)) {
            throw new UiBadRequest("use the folder's delete to delete a folder");
        }
        return EventLoopHop.onEventLoop(writes.submit(new Command.KvDelete(key, false, form.index()))
                .handle((outcome, error) -> {
                    KvEntry now = store.kvGet(key).value();
                    Form current = new Form("", now == null ? "" : textOf(now),
                            now == null ? "0" : Long.toUnsignedString(now.flags()), currentIndex(key));
                    if (error != null) {
                        logFailure("delete of " + key, error);
                        return refusedSave(key, current, unconfirmed(error) ? UNCONFIRMED_DELETE : NO_LEADER_DELETE,
                                form.index(), HttpStatus.SERVICE_UNAVAILABLE);
                    }
                    if (!outcome.success()) {
                        return refusedSave(key, current, conflict(key, outcome, "deleted"), current.index(),
                                HttpStatus.CONFLICT);
                    }
                    return redirect(KvTree.parent(key), "deleted");
                }));
    }

    private Mono<Rendering> deleteFolder(String folder, Caller caller) {
        if (!isFolder(folder) || folder.isEmpty()) {
            throw new UiBadRequest("only a folder below the top level can be deleted as a folder");
        }
        return EventLoopHop.onEventLoop(writes.submit(new Command.KvDelete(folder, true, Command.NO_CAS))
                .handle((outcome, error) -> {
                    if (error != null || !outcome.success()) {
                        if (error != null) {
                            logFailure("delete of folder " + folder, error);
                        }
                        Indexed<List<String>> keys = store.query(new Query.KvKeys(folder));
                        return folderPage(folder, false, keys.index(),
                                KvTree.children(folder, readable(keys.value(), caller)), null)
                                .modelAttribute("form", new Form("", "", "0", 0))
                                .modelAttribute("error", error == null ? outcome.error()
                                        : unconfirmed(error) ? UNCONFIRMED_DELETE : NO_LEADER_DELETE)
                                .status(error != null ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.CONFLICT)
                                .build();
                    }
                    return redirect(KvTree.parent(folder), "deleted");
                }));
    }

    /** The keys the caller may read: a folder shows only those, as {@code ?keys} does on the API. */
    private static List<String> readable(List<String> keys, Caller caller) {
        return caller.filter(keys, caller.permissions()::keyRead).items();
    }

    /** A folder deleted as a whole needs write on everything under it, as a recursive delete on the API. */
    private static void requireWrite(Caller caller, String path, boolean wholeFolder) {
        boolean allowed = wholeFolder ? caller.permissions().keyWritePrefix(path)
                : caller.permissions().keyWrite(path);
        UiAccess.require(allowed, "key:write", path);
    }

    /** Why the form cannot be written, or null. */
    private static String checkWrite(String key, Form form) {
        String problem = KvKeys.problem(key);
        if (problem != null) {
            return problem + ".";
        }
        try {
            Long.parseUnsignedLong(form.flags().trim());
        } catch (NumberFormatException e) {
            return "Flags must be a whole number from 0 to 18446744073709551615.";
        }
        if (form.value().getBytes(StandardCharsets.UTF_8).length > KvKeys.MAX_VALUE_BYTES) {
            return "The value is larger than the " + KvKeys.MAX_VALUE_BYTES / 1024 + " KiB limit.";
        }
        return null;
    }

    private String conflict(String key, Outcome outcome, String verb) {
        if (outcome.error() != null) {
            return outcome.error();
        }
        KvEntry now = store.kvGet(key).value();
        String what = now == null ? "it has been deleted" : "it was changed (now at index " + now.modifyIndex() + ")";
        return "Not " + verb + ": someone else changed this key since you opened it \u2014 " + what
                + ". Your text is kept below and the current value is shown for comparison. "
                + (now == null ? "Saving again will create the key anew." : "Saving again will overwrite it.");
    }

    private long currentIndex(String key) {
        KvEntry now = store.kvGet(key).value();
        return now == null ? 0 : now.modifyIndex();
    }

    private Rendering refusedCreate(String folder, Form form, String problem, HttpStatus status, Caller caller) {
        Indexed<List<String>> list = store.query(new Query.KvKeys(folder));
        return folderPage(folder, false, list.index(), KvTree.children(folder, readable(list.value(), caller)),
                null)
                .modelAttribute("form", form)
                .modelAttribute("error", problem)
                .modelAttribute("openCreate", true)
                .status(status)
                .build();
    }

    private Rendering refusedSave(String key, Form form, String problem, long formIndex, HttpStatus status) {
        var current = store.kvGet(key);
        return keyPage(key, false, current.value(), current.index(), formIndex, null)
                .modelAttribute("form", new Form("", form.value(), form.flags(), formIndex))
                .modelAttribute("error", problem)
                .status(status)
                .build();
    }

    /** {@code remote}: the other datacenter shown, read-only; null for this one's. */
    private Rendering.Builder<?> folderPage(String folder, boolean fragment, long index, List<KvTree.Item> items,
                                            String remote) {
        return layout.view("kv-folder", fragment, folder.isEmpty() ? "Key/Value" : folder + " · Key/Value", "kv",
                        remote)
                .modelAttribute("folder", folder)
                .modelAttribute("crumbs", KvTree.crumbsIn(folder, remote))
                .modelAttribute("items", items)
                .modelAttribute("index", index)
                .modelAttribute("href", KvTree.href(folder))
                .modelAttribute("remote", remote)
                .modelAttribute("liveUrl", UiLayout.url(KvTree.href(folder), "dc", remote));
    }

    /**
     * {@code seen} is the ModifyIndex the edit form was loaded at: the live panel says when the key moves on.
     * {@code remote}: the other datacenter shown, read-only; null for this one's.
     */
    private Rendering.Builder<?> keyPage(String key, boolean fragment, KvEntry entry, long index, long seen,
                                         String remote) {
        return layout.view("kv-key", fragment, key + " · Key/Value", "kv", remote)
                .modelAttribute("key", key)
                .modelAttribute("remote", remote)
                .modelAttribute("crumbs", KvTree.crumbsIn(key, remote))
                .modelAttribute("entry", entry)
                .modelAttribute("text", entry == null ? "" : UiText.utf8OrNull(entry.value()))
                .modelAttribute("base64", entry == null ? "" : UiText.base64(entry.value()))
                .modelAttribute("flagsText", entry == null ? "" : Long.toUnsignedString(entry.flags()))
                .modelAttribute("seen", seen)
                .modelAttribute("index", index)
                .modelAttribute("href", KvTree.href(key))
                .modelAttribute("liveUrl", UiLayout.url(KvTree.href(key), "since", Long.toString(seen), "dc", remote));
    }

    private static Rendering redirect(String key, String done) {
        return UiRedirects.seeOther(KvTree.href(key) + "?done=" + done);
    }

    private static String doneMessage(String done) {
        if (done == null) {
            return null;
        }
        return switch (done) {
            case "created" -> "Created.";
            case "saved" -> "Saved.";
            case "deleted" -> "Deleted.";
            default -> null;
        };
    }

    private static String textOf(KvEntry entry) {
        String text = UiText.utf8OrNull(entry.value());
        return text == null ? "" : text;
    }

    private static boolean isFolder(String path) {
        return path.isEmpty() || path.endsWith(KvTree.SEPARATOR);
    }

    /** The key or folder: the raw request path after /ui/kv/, percent-decoded (an encoded slash stays a slash). */
    private static String path(ServerHttpRequest request) {
        String uri = request.getPath().value();
        return uri.length() <= KvTree.ROOT.length() ? "" : KvTree.fromPath(uri.substring(KvTree.ROOT.length()));
    }

    private static boolean isNoSpace(Throwable error) {
        return causeOf(error) instanceof NoSpaceException;
    }

    /** The write reached the cluster but was not confirmed (timed out, leader lost): it may still be applied. */
    private static boolean unconfirmed(Throwable error) {
        return causeOf(error) instanceof ClusterUnavailableException;
    }

    /** A cluster that cannot commit is an expected condition, logged in a line; anything else with its trace. */
    private static void logFailure(String what, Throwable error) {
        Throwable cause = causeOf(error);
        if (cause instanceof ClusterUnavailableException || cause instanceof NoLeaderException) {
            log.warn("UI {} failed: {}", what, cause.getMessage());
        } else {
            log.warn("UI {} failed", what, cause);
        }
    }

    private static Throwable causeOf(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
