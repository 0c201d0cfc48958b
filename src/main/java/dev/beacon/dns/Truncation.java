package dev.beacon.dns;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Fits a response into what the client can receive. A response that is too long first loses the additional records
 * that are not the addresses of names its answers give (a node's metadata), which is not a truncation (RFC 2181 9):
 * no TC bit. If still too long, it keeps as many answer records as fit (with the addresses of the names those give,
 * such as an SRV target's), and gets the TC bit only when asked to mark truncation (Consul's
 * {@code enable_truncate}), so that the client asks again over TCP for the whole answer.
 */
final class Truncation {
    private Truncation() {
    }

    static byte[] toWire(Message response, int maxSize, boolean markTruncated) {
        byte[] wire = response.toWire();
        if (wire.length <= maxSize) {
            return wire;
        }
        int answers = response.getSection(Section.ANSWER).size();
        byte[] lean = firstAnswers(response, answers).toWire();
        if (lean.length <= maxSize) {
            return lean;
        }
        byte[] best = null;
        int low = 0;
        int high = answers - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            byte[] candidate = truncated(response, mid, markTruncated).toWire();
            if (candidate.length <= maxSize) {
                best = candidate;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        // Without answers only the question and the SOA are left, far below the 512-byte floor; dnsjava's own
        // cut (whole sections dropped) is the backstop should that ever not hold.
        return best != null ? best : truncated(response, 0, markTruncated).toWire(maxSize);
    }

    /** The first {@code count} answers, with the TC bit if {@code marked}: the client asks over TCP for the rest. */
    private static Message truncated(Message full, int count, boolean marked) {
        Message cut = firstAnswers(full, count);
        if (marked) {
            cut.getHeader().setFlag(Flags.TC);
        }
        return cut;
    }

    /**
     * The first {@code count} answers, and of the additional records only the addresses of the names those give (and
     * OPT).
     */
    private static Message firstAnswers(Message full, int count) {
        Message cut = full.clone();
        List<Record> answers = full.getSection(Section.ANSWER).subList(0, count);
        Set<Name> named = new HashSet<>();
        answers.forEach(r -> {
            if (r.getAdditionalName() != null) {
                named.add(r.getAdditionalName());
            }
        });
        cut.removeAllRecords(Section.ANSWER);
        cut.removeAllRecords(Section.ADDITIONAL);
        answers.forEach(r -> cut.addRecord(r, Section.ANSWER));
        for (Record r : full.getSection(Section.ADDITIONAL)) {
            if (r.getType() == Type.OPT || (isAddress(r) && named.contains(r.getName()))) {
                cut.addRecord(r, Section.ADDITIONAL);
            }
        }
        return cut;
    }

    /** Glue: what a client needs to reach a name an answer gives (an SRV target's address, or its alias). */
    private static boolean isAddress(Record r) {
        return r.getType() == Type.A || r.getType() == Type.AAAA || r.getType() == Type.CNAME;
    }
}
