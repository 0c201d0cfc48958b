package dev.beacon.api.query;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.beacon.state.PreparedQuery;

/**
 * Which prepared query a name or id runs, and a template filled in for the name it ran as. An id wins, then a query
 * of exactly that name, then the template whose name is the longest prefix of it (a nameless template matches every
 * name), as Consul resolves them. A template fills {@code ${name.full}}, {@code ${name.prefix}},
 * {@code ${name.suffix}} and {@code ${match(N)}} (group N of its regexp on the full name; empty when it does not
 * match) into every text of its service lookup; an unknown variable is left as it is.
 */
final class QueryTemplates {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(name\\.full|name\\.prefix|name\\.suffix|"
            + "match\\((\\d+)\\))}");

    private QueryTemplates() {
    }

    /** The query {@code idOrName} runs, filled in for that name; null when none does. */
    static PreparedQuery resolve(Collection<PreparedQuery> queries, String idOrName) {
        PreparedQuery best = null;
        for (PreparedQuery q : queries) {
            if (q.id().equals(idOrName)) {
                return render(q, q.name());
            }
            if (q.name().equals(idOrName) && q.template() == null) {
                best = q;
            }
        }
        if (best != null) {
            return best;
        }
        for (PreparedQuery q : queries) {
            if (q.template() != null && idOrName.startsWith(q.name())
                    && (best == null || q.name().length() > best.name().length())) {
                best = q;
            }
        }
        return best == null ? null : render(best, idOrName);
    }

    /** The query with its template's variables filled in for {@code fullName}; a plain query as it is. */
    static PreparedQuery render(PreparedQuery query, String fullName) {
        PreparedQuery.Template template = query.template();
        if (template == null) {
            return query;
        }
        List<String> groups = new ArrayList<>();
        if (!template.regexp().isEmpty()) {
            Matcher m = Pattern.compile(template.regexp()).matcher(fullName);
            if (m.find()) {
                for (int i = 0; i <= m.groupCount(); i++) {
                    groups.add(m.group(i) == null ? "" : m.group(i));
                }
            }
        }
        String prefix = query.name();
        String suffix = fullName.startsWith(prefix) ? fullName.substring(prefix.length()) : "";
        UnaryOperator<String> fill = text -> {
            Matcher m = VARIABLE.matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String value = switch (m.group(1)) {
                    case "name.full" -> fullName;
                    case "name.prefix" -> prefix;
                    case "name.suffix" -> suffix;
                    default -> {
                        int n = Integer.parseInt(m.group(2));
                        yield n < groups.size() ? groups.get(n) : "";
                    }
                };
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            m.appendTail(out);
            return out.toString();
        };
        PreparedQuery.ServiceQuery s = query.service();
        List<String> tags = s.tags().stream().map(fill)
                .filter(tag -> !template.removeEmptyTags() || !tag.isEmpty()).toList();
        PreparedQuery.ServiceQuery filled = new PreparedQuery.ServiceQuery(fill.apply(s.service()), s.nearestN(),
                s.datacenters().stream().map(fill).toList(), s.onlyPassing(), s.ignoreCheckIds(),
                fill.apply(s.near()), tags, fillValues(s.nodeMeta(), fill), fillValues(s.serviceMeta(), fill));
        return new PreparedQuery(query.id(), query.name(), query.session(), query.token(), filled, query.dnsTtl(),
                template, query.createIndex(), query.modifyIndex());
    }

    private static Map<String, String> fillValues(Map<String, String> map, UnaryOperator<String> fill) {
        Map<String, String> filled = new TreeMap<>();
        map.forEach((k, v) -> filled.put(k, fill.apply(v)));
        return filled;
    }
}
