package dev.beacon.ui;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.beacon.api.kv.KvKeys;
import dev.beacon.cluster.ClusterView;
import dev.beacon.cluster.NoSpaceException;
import dev.beacon.state.Command;
import dev.beacon.state.KvEntry;
import dev.beacon.state.Outcome;
import dev.beacon.state.Query;
import dev.beacon.state.Store;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.view.RedirectView;

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
    private static final String NO_SPACE = "The cluster's storage quota is reached, so nothing was written. "
            + "Delete keys you no longer need, then try again.";
    private static final String NO_LEADER_DELETE = "The cluster has no leader right now, so nothing was deleted. "
            + "Try again in a moment.";

    private final UiReads reads;
    private final UiLayout layout;
    private final KvWrites writes;
    private final Store store;

    KvPageController(UiReads reads, UiLayout layout, KvWrites writes, Store store) {
        this.reads = reads;
        this.layout = layout;
        this.writes = writes;
        this.store = store;
    }

    /** What a form posted, kept to show again when the write is refused. */
    record Form(String name, String value, String flags, long index) {
    }

    @GetMapping("/ui/kv")
    String root() {
        return "redirect:/ui/kv/";
    }

    @GetMapping("/ui/kv/**")
    CompletableFuture<ModelAndView> view(HttpServletRequest request,
                                         @RequestParam(defaultValue = "0") long index,
                                         @RequestParam(defaultValue = "0") long since,
                                         @RequestParam(name = UiLayout.FRAGMENT, required = false) String fragment,
                                         @RequestParam(required = false) String done) {
        String path = path(request);
        boolean isFragment = fragment != null;
        if (isFolder(path)) {
            return reads.read(new Query.KvList(path), index).thenApply(r -> {
                List<KvTree.Item> items = KvTree.children(path, r.value());
                if (!path.isEmpty() && r.value().isEmpty() && !isFragment) {
                    throw new UiNotFound("Folder", path, KvTree.href(KvTree.parent(path)), "Parent folder");
                }
                ModelAndView page = folderPage(path, isFragment, r.index(), items);
                page.addObject("message", doneMessage(done));
                page.addObject("form", new Form("", "", "0", 0));
                return page;
            });
        }
        return reads.read(new Query.KvGet(path), index).thenApply(r -> {
            KvEntry entry = r.value();
            if (entry == null && !isFragment) {
                throw new UiNotFound("Key", path, KvTree.href(KvTree.parent(path)), "Parent folder");
            }
            long seen = isFragment ? since : entry.modifyIndex();
            ModelAndView page = keyPage(path, isFragment, entry, r.index(), seen);
            if (!isFragment) {
                page.addObject("message", doneMessage(done));
                page.addObject("form", new Form("", textOf(entry), Long.toUnsignedString(entry.flags()),
                        entry.modifyIndex()));
            }
            return page;
        });
    }

    /** Asks before deleting a key or a whole folder. */
    @GetMapping(value = "/ui/kv/**", params = "delete")
    ModelAndView confirmDelete(HttpServletRequest request) {
        String path = path(request);
        if (path.isEmpty()) {
            throw new UiBadRequest("the top level cannot be deleted as a folder");
        }
        ModelAndView page = layout.view("kv-delete", false, "Delete " + path, "kv", null);
        page.addObject("path", path);
        page.addObject("crumbs", KvTree.crumbs(path));
        if (isFolder(path)) {
            int count = store.kvList(path).value().size();
            if (count == 0) {
                throw new UiNotFound("Folder", path, KvTree.href(KvTree.parent(path)), "Parent folder");
            }
            page.addObject("folder", true);
            page.addObject("count", count);
        } else {
            KvEntry entry = store.kvGet(path).value();
            if (entry == null) {
                throw new UiNotFound("Key", path, KvTree.href(KvTree.parent(path)), "Parent folder");
            }
            page.addObject("folder", false);
            page.addObject("entryIndex", entry.modifyIndex());
        }
        page.addObject("action", KvTree.href(path));
        page.addObject("cancel", KvTree.href(path));
        return page;
    }

    @PostMapping("/ui/kv/**")
    CompletableFuture<ModelAndView> write(HttpServletRequest request,
                                          @RequestParam String action,
                                          @RequestParam(required = false) String name,
                                          @RequestParam(required = false) String value,
                                          @RequestParam(defaultValue = "0") String flags,
                                          @RequestParam(defaultValue = "0") long index) {
        SameOrigin.require(request);
        String path = path(request);
        Form form = new Form(name == null ? "" : name, UiText.fromTextArea(value), flags, index);
        return switch (action) {
            case "create" -> create(path, form);
            case "save" -> save(path, form);
            case "delete" -> delete(path, form);
            case "delete-folder" -> deleteFolder(path);
            default -> throw new UiBadRequest("unknown action " + action);
        };
    }

    private CompletableFuture<ModelAndView> create(String folder, Form form) {
        if (!isFolder(folder)) {
            throw new UiBadRequest("keys are created in a folder");
        }
        String key = folder + form.name();
        String problem = form.name().isEmpty() ? "Give the key a name." : checkWrite(key, form);
        if (problem != null) {
            return CompletableFuture.completedFuture(refusedCreate(folder, form, problem, HttpStatus.BAD_REQUEST));
        }
        // A name ending in the separator makes an empty folder key, as Consul's UI does.
        byte[] value = isFolder(key) ? new byte[0] : form.value().getBytes(StandardCharsets.UTF_8);
        Command command = new Command.KvSet(key, value, Long.parseUnsignedLong(form.flags().trim()), 0);
        return writes.submit(command).handle((outcome, error) -> {
            if (error != null) {
                if (isNoSpace(error)) {
                    return refusedCreate(folder, form, NO_SPACE, HttpStatus.INSUFFICIENT_STORAGE);
                }
                log.warn("UI create of {} failed", key, error);
                return refusedCreate(folder, form, NO_LEADER, HttpStatus.SERVICE_UNAVAILABLE);
            }
            if (!outcome.success()) {
                return refusedCreate(folder, form, outcome.error() != null ? outcome.error()
                        : "A key named \u201c" + key + "\u201d already exists, so nothing was created. "
                        + "Pick another name, or open that key to edit it.", HttpStatus.CONFLICT);
            }
            return redirect(key, "created");
        });
    }

    private CompletableFuture<ModelAndView> save(String key, Form form) {
        if (isFolder(key)) {
            throw new UiBadRequest("a folder has no value to save");
        }
        String problem = checkWrite(key, form);
        if (problem != null) {
            return CompletableFuture.completedFuture(refusedSave(key, form, problem, form.index(),
                    HttpStatus.BAD_REQUEST));
        }
        Command command = new Command.KvSet(key, form.value().getBytes(StandardCharsets.UTF_8),
                Long.parseUnsignedLong(form.flags().trim()), form.index());
        return writes.submit(command).handle((outcome, error) -> {
            if (error != null) {
                if (isNoSpace(error)) {
                    return refusedSave(key, form, NO_SPACE, form.index(), HttpStatus.INSUFFICIENT_STORAGE);
                }
                log.warn("UI save of {} failed", key, error);
                return refusedSave(key, form, NO_LEADER, form.index(), HttpStatus.SERVICE_UNAVAILABLE);
            }
            if (!outcome.success()) {
                return refusedSave(key, form, conflict(key, outcome, "saved"), currentIndex(key),
                        HttpStatus.CONFLICT);
            }
            return redirect(key, "saved");
        });
    }

    private CompletableFuture<ModelAndView> delete(String key, Form form) {
        if (isFolder(key)) {
            throw new UiBadRequest("use the folder's delete to delete a folder");
        }
        return writes.submit(new Command.KvDelete(key, false, form.index())).handle((outcome, error) -> {
            KvEntry now = store.kvGet(key).value();
            Form current = new Form("", now == null ? "" : textOf(now),
                    now == null ? "0" : Long.toUnsignedString(now.flags()), currentIndex(key));
            if (error != null) {
                log.warn("UI delete of {} failed", key, error);
                return refusedSave(key, current, NO_LEADER_DELETE, form.index(),
                        HttpStatus.SERVICE_UNAVAILABLE);
            }
            if (!outcome.success()) {
                return refusedSave(key, current, conflict(key, outcome, "deleted"), current.index(),
                        HttpStatus.CONFLICT);
            }
            return redirect(KvTree.parent(key), "deleted");
        });
    }

    private CompletableFuture<ModelAndView> deleteFolder(String folder) {
        if (!isFolder(folder) || folder.isEmpty()) {
            throw new UiBadRequest("only a folder below the top level can be deleted as a folder");
        }
        return writes.submit(new Command.KvDelete(folder, true, Command.NO_CAS)).handle((outcome, error) -> {
            if (error != null || !outcome.success()) {
                if (error != null) {
                    log.warn("UI delete of folder {} failed", folder, error);
                }
                ModelAndView page = folderPage(folder, false, store.kvList(folder).index(),
                        KvTree.children(folder, store.kvList(folder).value()));
                page.addObject("form", new Form("", "", "0", 0));
                page.addObject("error", error != null ? NO_LEADER_DELETE : outcome.error());
                page.setStatus(error != null ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.CONFLICT);
                return page;
            }
            return redirect(KvTree.parent(folder), "deleted");
        });
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

    private ModelAndView refusedCreate(String folder, Form form, String problem, HttpStatus status) {
        var list = store.kvList(folder);
        ModelAndView page = folderPage(folder, false, list.index(), KvTree.children(folder, list.value()));
        page.addObject("form", form);
        page.addObject("error", problem);
        page.addObject("openCreate", true);
        page.setStatus(status);
        return page;
    }

    private ModelAndView refusedSave(String key, Form form, String problem, long formIndex, HttpStatus status) {
        var current = store.kvGet(key);
        ModelAndView page = keyPage(key, false, current.value(), current.index(), formIndex);
        page.addObject("form", new Form("", form.value(), form.flags(), formIndex));
        page.addObject("error", problem);
        page.setStatus(status);
        return page;
    }

    private ModelAndView folderPage(String folder, boolean fragment, long index, List<KvTree.Item> items) {
        ModelAndView page = layout.view("kv-folder", fragment, folder.isEmpty() ? "Key/Value" : folder + " · Key/Value",
                "kv", null);
        page.addObject("folder", folder);
        page.addObject("crumbs", KvTree.crumbs(folder));
        page.addObject("items", items);
        page.addObject("index", index);
        page.addObject("href", KvTree.href(folder));
        page.addObject("liveUrl", KvTree.href(folder));
        return page;
    }

    /** {@code seen} is the ModifyIndex the edit form was loaded at: the live panel says when the key moves on. */
    private ModelAndView keyPage(String key, boolean fragment, KvEntry entry, long index, long seen) {
        ModelAndView page = layout.view("kv-key", fragment, key + " · Key/Value", "kv", null);
        page.addObject("key", key);
        page.addObject("crumbs", KvTree.crumbs(key));
        page.addObject("entry", entry);
        page.addObject("text", entry == null ? "" : UiText.utf8OrNull(entry.value()));
        page.addObject("base64", entry == null ? "" : UiText.base64(entry.value()));
        page.addObject("flagsText", entry == null ? "" : Long.toUnsignedString(entry.flags()));
        page.addObject("seen", seen);
        page.addObject("index", index);
        page.addObject("href", KvTree.href(key));
        page.addObject("liveUrl", UiLayout.url(KvTree.href(key), "since", Long.toString(seen)));
        return page;
    }

    private static ModelAndView redirect(String key, String done) {
        RedirectView view = new RedirectView(KvTree.href(key) + "?done=" + done);
        view.setStatusCode(HttpStatus.SEE_OTHER);
        return new ModelAndView(view);
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
    private static String path(HttpServletRequest request) {
        String uri = request.getRequestURI();
        return uri.length() <= KvTree.ROOT.length() ? "" : KvTree.fromPath(uri.substring(KvTree.ROOT.length()));
    }

    private static boolean isNoSpace(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof NoSpaceException;
    }
}
