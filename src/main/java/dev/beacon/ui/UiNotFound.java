package dev.beacon.ui;

/** A page for something that does not exist (a service, node or key); shown as the friendly 404 page. */
class UiNotFound extends RuntimeException {
    private final String what;
    private final String name;
    private final String backHref;
    private final String backLabel;

    UiNotFound(String what, String name, String backHref, String backLabel) {
        super(what + " " + name + " not found");
        this.what = what;
        this.name = name;
        this.backHref = backHref;
        this.backLabel = backLabel;
    }

    String what() {
        return what;
    }

    String name() {
        return name;
    }

    String backHref() {
        return backHref;
    }

    String backLabel() {
        return backLabel;
    }
}
