package dev.beacon.ui;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;

import dev.beacon.api.Caller;
import dev.beacon.api.kv.KvKeys;
import dev.beacon.cluster.ClusterUnavailableException;
import dev.beacon.cluster.DatacenterUnreachableException;
import dev.beacon.cluster.NoLeaderException;
import dev.beacon.cluster.NoSpaceException;
import dev.beacon.cluster.RemoteRefusalException;
import dev.beacon.state.Command;
import dev.beacon.state.Indexed;
import dev.beacon.state.KvEntry;
import dev.beacon.state.Outcome;
import dev.beacon.state.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
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

    /** Set on a page whose current keys or value could not be read (another datacenter that went away). */
    private static final String UNREAD = "unread";

    private final UiReads reads;
    private final UiLayout layout;
    private final KvWrites writes;
    private final UiAccess access;

    KvPageController(UiReads reads, UiLayout layout, KvWrites writes, UiAccess access) {
        this.reads = reads;
        this.layout = layout;
        this.writes = writes;
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
        boolean afterWrite = done != null;
        if (isFolder(path)) {
            return reads.read(new Query.KvKeys(path), index, remote, afterWrite).map(r -> {
                List<KvTree.Item> items = KvTree.children(path, readable(r.value(), caller));
                // A folder emptied by the delete just made is shown empty, with the notice, not as missing.
                if (!path.isEmpty() && r.value().isEmpty() && !isFragment && done == null) {
                    throw new UiNotFound("Folder", path, parentHref(path, remote), "Parent folder");
                }
                return folderPage(path, isFragment, r.index(), items, remote)
                        .modelAttribute("message", doneMessage(done))
                        .modelAttribute("form", new Form("", "", "0", 0))
                        .build();
            });
        }
        UiAccess.require(caller.permissions().keyRead(path), "key:read", path);
        return reads.read(new Query.KvGet(path), index, remote, afterWrite).map(r -> {
            KvEntry entry = r.value();
            if (entry == null && !isFragment) {
                throw new UiNotFound("Key", path, parentHref(path, remote), "Parent folder");
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
    Mono<Rendering> confirmDelete(ServerHttpRequest request, @RequestParam(required = false) String dc) {
        String path = path(request);
        if (path.isEmpty()) {
            throw new UiBadRequest("the top level cannot be deleted as a folder");
        }
        requireWrite(access.caller(request), path, isFolder(path));
        String remote = reads.remote(dc);
        Rendering.Builder<?> page = layout.view("kv-delete", false, "Delete " + path, "kv", remote)
                .modelAttribute("path", path)
                .modelAttribute("crumbs", KvTree.crumbsIn(path, remote))
                .modelAttribute("action", inDatacenter(KvTree.href(path), remote))
                .modelAttribute("cancel", inDatacenter(KvTree.href(path), remote));
        if (isFolder(path)) {
            return reads.read(new Query.KvKeys(path), 0, remote).map(keys -> {
                if (keys.value().isEmpty()) {
                    throw new UiNotFound("Folder", path, parentHref(path, remote), "Parent folder");
                }
                return page.modelAttribute("folder", true).modelAttribute("count", keys.value().size()).build();
            });
        }
        return reads.read(new Query.KvGet(path), 0, remote).map(entry -> {
            if (entry.value() == null) {
                throw new UiNotFound("Key", path, parentHref(path, remote), "Parent folder");
            }
            return page.modelAttribute("folder", false).modelAttribute("entryIndex", entry.value().modifyIndex())
                    .build();
        });
    }

    /**
     * A form posted. For another datacenter's keys ({@code ?dc=} on the form's address) the write is made there
     * with the viewer's token, which that datacenter checks too.
     */
    @PostMapping("/ui/kv/**")
    Mono<Rendering> write(ServerHttpRequest request, @ModelAttribute Posted posted,
                          @RequestParam(required = false) String dc) {
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
        Where where = new Where(reads.remote(dc), UiAccess.secret(request), caller);
        return switch (posted.action()) {
            case "create" -> create(path, form, where);
            case "save" -> save(path, form, where);
            case "delete" -> delete(path, form, where);
            case "delete-folder" -> deleteFolder(path, where);
            default -> throw new UiBadRequest("unknown action " + posted.action());
        };
    }

    /**
     * Where a write goes and whose it is: {@code remote} the other datacenter whose keys these are (null: this
     * one's), {@code token} the viewer's secret, sent there.
     */
    private record Where(String remote, String token, Caller caller) {
    }

    /** A write's result: its outcome, or why it failed. */
    private record Attempt(Outcome outcome, Throwable error) {
    }

    private Mono<Attempt> submit(Command command, Where where) {
        return EventLoopHop.onEventLoop(writes.submit(command, where.remote(), where.token())
                .handle(Attempt::new));
    }

    private Mono<Rendering> create(String folder, Form form, Where where) {
        if (!isFolder(folder)) {
            throw new UiBadRequest("keys are created in a folder");
        }
        String key = folder + form.name();
        String problem = form.name().isEmpty() ? "Give the key a name." : checkWrite(key, form);
        if (problem != null) {
            return refusedCreate(folder, form, problem, HttpStatus.BAD_REQUEST, where);
        }
        // A name ending in the separator makes an empty folder key, as Consul's UI does.
        byte[] value = isFolder(key) ? new byte[0] : form.value().getBytes(StandardCharsets.UTF_8);
        Command command = new Command.KvSet(key, value, Long.parseUnsignedLong(form.flags().trim()), 0);
        return submit(command, where).flatMap(attempt -> {
            if (attempt.error() != null) {
                Failure failure = failure("create of " + key, attempt.error(), false);
                return refusedCreate(folder, form, failure.message(), failure.status(), where);
            }
            Outcome outcome = attempt.outcome();
            if (!outcome.success()) {
                return refusedCreate(folder, form, outcome.error() != null ? outcome.error()
                        : "A key named \u201c" + key + "\u201d already exists, so nothing was created. "
                        + "Pick another name, or open that key to edit it.", HttpStatus.CONFLICT, where);
            }
            return Mono.just(redirect(key, "created", where));
        });
    }

    private Mono<Rendering> save(String key, Form form, Where where) {
        if (isFolder(key)) {
            throw new UiBadRequest("a folder has no value to save");
        }
        String problem = checkWrite(key, form);
        if (problem != null) {
            return refusedSave(key, form, problem, form.index(), HttpStatus.BAD_REQUEST, where);
        }
        Command command = new Command.KvSetIfChanged(key, form.value().getBytes(StandardCharsets.UTF_8),
                Long.parseUnsignedLong(form.flags().trim()), form.index());
        return submit(command, where).flatMap(attempt -> {
            if (attempt.error() != null) {
                Failure failure = failure("save of " + key, attempt.error(), false);
                return refusedSave(key, form, failure.message(), form.index(), failure.status(), where);
            }
            if (!attempt.outcome().success()) {
                return current(key, where).map(now -> refusedSave(key, Optional.of(now), form,
                        conflict(key, attempt.outcome(), now, "saved"), indexOf(now), HttpStatus.CONFLICT, where));
            }
            return Mono.just(redirect(key, "saved", where));
        });
    }

    private Mono<Rendering> delete(String key, Form form, Where where) {
        if (isFolder(key)) {
            throw new UiBadRequest("use the folder's delete to delete a folder");
        }
        return submit(new Command.KvDelete(key, false, form.index()), where).flatMap(attempt -> {
            if (attempt.error() == null && attempt.outcome().success()) {
                return Mono.just(redirect(KvTree.parent(key), "deleted", where));
            }
            return current(key, where).map(now -> {
                Form current = new Form("", now.value() == null ? "" : textOf(now.value()),
                        now.value() == null ? "0" : Long.toUnsignedString(now.value().flags()), indexOf(now));
                if (attempt.error() != null) {
                    Failure failure = failure("delete of " + key, attempt.error(), true);
                    return refusedSave(key, Optional.of(now), current, failure.message(), form.index(),
                            failure.status(), where);
                }
                return refusedSave(key, Optional.of(now), current, conflict(key, attempt.outcome(), now, "deleted"),
                        current.index(), HttpStatus.CONFLICT, where);
            });
        });
    }

    private Mono<Rendering> deleteFolder(String folder, Where where) {
        if (!isFolder(folder) || folder.isEmpty()) {
            throw new UiBadRequest("only a folder below the top level can be deleted as a folder");
        }
        return submit(new Command.KvDelete(folder, true, Command.NO_CAS), where).flatMap(attempt -> {
            if (attempt.error() == null && attempt.outcome().success()) {
                return Mono.just(redirect(KvTree.parent(folder), "deleted", where));
            }
            Failure failure = attempt.error() != null ? failure("delete of folder " + folder, attempt.error(), true)
                    : new Failure(HttpStatus.CONFLICT, attempt.outcome().error());
            return reads.read(new Query.KvKeys(folder), 0, where.remote(), true).map(keys ->
                    folderPage(folder, false, keys.index(), KvTree.children(folder,
                            readable(keys.value(), where.caller())), where.remote())
                            .modelAttribute("form", new Form("", "", "0", 0))
                            .modelAttribute("error", failure.message())
                            .status(failure.status())
                            .build());
        });
    }

    /** What to tell the user when a write failed, and the page's status. */
    private record Failure(HttpStatusCode status, String message) {
    }

    private static Failure failure(String what, Throwable error, boolean delete) {
        Throwable cause = causeOf(error);
        if (cause instanceof NoSpaceException) {
            return new Failure(HttpStatus.INSUFFICIENT_STORAGE, NO_SPACE);
        }
        if (cause instanceof RemoteRefusalException refused) {
            return new Failure(HttpStatusCode.valueOf(refused.status()), refused.getMessage());
        }
        if (cause instanceof DatacenterUnreachableException) {
            return new Failure(HttpStatus.SERVICE_UNAVAILABLE, cause.getMessage() + ", so nothing was "
                    + (delete ? "deleted" : "written") + ". Try again in a moment.");
        }
        logFailure(what, cause);
        String message = unconfirmed(cause) ? (delete ? UNCONFIRMED_DELETE : UNCONFIRMED)
                : (delete ? NO_LEADER_DELETE : NO_LEADER);
        return new Failure(HttpStatus.SERVICE_UNAVAILABLE, message);
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

    /** The key as it is now where it was written (for another datacenter, as its leader has it). */
    private Mono<Indexed<KvEntry>> current(String key, Where where) {
        return reads.read(new Query.KvGet(key), 0, where.remote(), true);
    }

    private static long indexOf(Indexed<KvEntry> now) {
        return now.value() == null ? 0 : now.value().modifyIndex();
    }

    private static String conflict(String key, Outcome outcome, Indexed<KvEntry> now, String verb) {
        if (outcome.error() != null) {
            return outcome.error();
        }
        String what = now.value() == null ? "it has been deleted"
                : "it was changed (now at index " + now.value().modifyIndex() + ")";
        return "Not " + verb + ": someone else changed this key since you opened it \u2014 " + what
                + ". Your text is kept below and the current value is shown for comparison. "
                + (now.value() == null ? "Saving again will create the key anew." : "Saving again will overwrite it.");
    }

    /**
     * The folder page again, with the form as typed and why it was refused. When another datacenter's keys cannot
     * be read either (it went away), the form is still shown, without the listing.
     */
    private Mono<Rendering> refusedCreate(String folder, Form form, String problem, HttpStatusCode status,
                                          Where where) {
        Mono<Rendering.Builder<?>> page = reads.read(new Query.KvKeys(folder), 0, where.remote(), true)
                .<Rendering.Builder<?>>map(list -> folderPage(folder, false, list.index(),
                        KvTree.children(folder, readable(list.value(), where.caller())), where.remote()))
                .onErrorResume(UiUnavailable.class, unreadable -> Mono.just(
                        folderPage(folder, false, 0, List.of(), where.remote()).modelAttribute(UNREAD, true)));
        return page.map(builder -> builder
                .modelAttribute("form", form)
                .modelAttribute("error", problem)
                .modelAttribute("openCreate", true)
                .status(status)
                .build());
    }

    /** The key page again, with the text as typed and why it was refused, read as the key is now. */
    private Mono<Rendering> refusedSave(String key, Form form, String problem, long formIndex, HttpStatusCode status,
                                        Where where) {
        return current(key, where).map(Optional::of)
                .onErrorResume(UiUnavailable.class, unreadable -> Mono.just(Optional.empty()))
                .map(now -> refusedSave(key, now, form, problem, formIndex, status, where));
    }

    /**
     * The key page again, with the text as typed and why it was refused, beside {@code now}, the key as it is now
     * (empty when another datacenter that went away could not be read: the page then shows no current value).
     */
    private Rendering refusedSave(String key, Optional<Indexed<KvEntry>> now, Form form, String problem,
                                  long formIndex, HttpStatusCode status, Where where) {
        Rendering.Builder<?> page = now.isPresent()
                ? keyPage(key, false, now.get().value(), now.get().index(), formIndex, where.remote())
                : keyPage(key, false, null, 0, formIndex, where.remote()).modelAttribute(UNREAD, true);
        return page.modelAttribute("form", new Form("", form.value(), form.flags(), formIndex))
                .modelAttribute("error", problem)
                .status(status)
                .build();
    }

    /** {@code remote}: the other datacenter whose keys these are; null for this one's. */
    private Rendering.Builder<?> folderPage(String folder, boolean fragment, long index, List<KvTree.Item> items,
                                            String remote) {
        String href = KvTree.href(folder);
        return layout.view("kv-folder", fragment, folder.isEmpty() ? "Key/Value" : folder + " · Key/Value", "kv",
                        remote)
                .modelAttribute("folder", folder)
                .modelAttribute("crumbs", KvTree.crumbsIn(folder, remote))
                .modelAttribute("items", KvTree.inDatacenter(items, remote))
                .modelAttribute("index", index)
                .modelAttribute("action", inDatacenter(href, remote))
                .modelAttribute("deleteHref", deleteHref(href, remote))
                .modelAttribute("remote", remote)
                .modelAttribute("liveUrl", inDatacenter(href, remote));
    }

    /**
     * {@code seen} is the ModifyIndex the edit form was loaded at: the live panel says when the key moves on.
     * {@code remote}: the other datacenter whose key this is; null for this one's.
     */
    private Rendering.Builder<?> keyPage(String key, boolean fragment, KvEntry entry, long index, long seen,
                                         String remote) {
        String href = KvTree.href(key);
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
                .modelAttribute("action", inDatacenter(href, remote))
                .modelAttribute("deleteHref", deleteHref(href, remote))
                .modelAttribute("liveUrl", UiLayout.url(href, "since", Long.toString(seen), "dc", remote));
    }

    private static String inDatacenter(String href, String remote) {
        return UiLayout.url(href, "dc", remote);
    }

    private static String parentHref(String path, String remote) {
        return inDatacenter(KvTree.href(KvTree.parent(path)), remote);
    }

    private static String deleteHref(String href, String remote) {
        return remote == null ? href + "?delete" : inDatacenter(href, remote) + "&delete";
    }

    private static Rendering redirect(String key, String done, Where where) {
        return UiRedirects.seeOther(UiLayout.url(KvTree.href(key), "done", done, "dc", where.remote()));
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

    /** The write reached the cluster but was not confirmed (timed out, leader lost): it may still be applied. */
    private static boolean unconfirmed(Throwable cause) {
        return cause instanceof ClusterUnavailableException;
    }

    /** A cluster that cannot commit is an expected condition, logged in a line; anything else with its trace. */
    private static void logFailure(String what, Throwable cause) {
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
