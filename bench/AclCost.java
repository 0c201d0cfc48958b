import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import dev.beacon.acl.Permissions;
import dev.beacon.acl.TokenResolver;
import dev.beacon.state.AclPolicy;
import dev.beacon.state.AclToken;
import dev.beacon.state.Command;
import dev.beacon.state.Store;

/**
 * What authorizing one request costs with ACLs on, in the process, without HTTP: resolving a token's secret
 * (TokenResolver, as the authorize stage does) and checking a key against its compiled rules (as the KV handler
 * does), over a store holding POLICIES policies of RULES key rules each and TOKENS tokens. Prints nanoseconds per
 * request, to set beside a request's server CPU (bench/acl.sh: about 200 us for a stale get).
 *
 * Run: mvn -q -o dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt && \
 *      java -cp target/classes:$(cat /tmp/cp.txt) bench/AclCost.java [requests]
 */
public class AclCost {
    private static final int POLICIES = 20;
    private static final int RULES = 50;
    private static final int TOKENS = 1_000;

    public static void main(String[] args) {
        long requests = args.length > 0 ? Long.parseLong(args[0]) : 20_000_000L;
        Store store = new Store();
        long index = 1;
        for (int p = 0; p < POLICIES; p++) {
            StringBuilder rules = new StringBuilder();
            for (int r = 0; r < RULES; r++) {
                rules.append("key_prefix \"app").append(p).append('/').append(r).append("/\" { policy = \"")
                        .append(r % 7 == 0 ? "deny" : "write").append("\" }\n");
            }
            rules.append("key \"app").append(p).append("/exact\" { policy = \"read\" }\n");
            store.apply(index++, 0, new Command.AclSetPolicy(new AclPolicy("p" + p, "policy" + p, "",
                    rules.toString(), List.of(), 0, 0)));
        }
        List<String> secrets = new ArrayList<>();
        for (int t = 0; t < TOKENS; t++) {
            String secret = "secret-" + t;
            secrets.add(secret);
            store.apply(index++, 0, new Command.AclSetToken(new AclToken("accessor-" + t, secret, "",
                    List.of("p" + (t % POLICIES), "p" + ((t + 1) % POLICIES)), List.of(), false, 0, 0, 0, 0), 0));
        }
        TokenResolver resolver = new TokenResolver(store, "dc1", Permissions.DENY_ALL, System::currentTimeMillis);
        List<String> keys = new ArrayList<>();
        for (int k = 0; k < 1_000; k++) {
            keys.add("app" + (k % POLICIES) + "/" + (k % RULES) + "/service-" + k + "/config");
        }
        long allowed = run(resolver, secrets, keys, requests / 4);
        long start = System.nanoTime();
        allowed += run(resolver, secrets, keys, requests);
        double nanos = (System.nanoTime() - start) / (double) requests;
        System.out.printf("%d requests: %.0f ns per request (token resolved from a hot cache, one key checked "
                + "against %d policies of %d rules); %d allowed%n", requests, nanos, 2, RULES + 1, allowed);
    }

    private static long run(TokenResolver resolver, List<String> secrets, List<String> keys, long requests) {
        long allowed = 0;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (long i = 0; i < requests; i++) {
            TokenResolver.Resolution resolution = resolver.resolve(secrets.get(random.nextInt(secrets.size())));
            if (resolution.permissions().keyRead(keys.get(random.nextInt(keys.size())))) {
                allowed++;
            }
        }
        return allowed;
    }
}
