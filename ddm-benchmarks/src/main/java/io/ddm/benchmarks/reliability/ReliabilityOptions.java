package io.ddm.benchmarks.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The suite's options, {@code --name=value} or {@code --name value}.
 *
 * @param duration time of the phases, divided among them by their units ({@code --duration}, default {@code 8m}; also
 * {@code 90s}, {@code 500ms}, {@code 1h}, ISO {@code PT8M}); waiting for a fault or a recovery to be recorded can add
 * to it, boundedly, and so do the start of the servers and the audit
 * @param threads workload threads ({@code --threads}, default 16)
 * @param poolSize each server's {@code pool.maximum-pool-size}, DDM's budget per server, divided among the 2 shards
 * of its node ({@code --pool-size}, default 8: 4 connections per shard pool)
 * @param phases the schedule ({@code --phases=baseline,kill-primary,...}, default all in their order, see
 * {@link FaultPhase})
 * @param urlParameters Connector/J parameters of every server URL ({@code --url-parameters=?socketTimeout=5000},
 * default none: the driver's defaults, as a URL without parameters gives)
 * @param seed seed of the workload's random choices ({@code --seed}, default 42)
 * @param out the report file ({@code --out}, default {@code reliability-results.md} next to the benchmarks jar)
 */
record ReliabilityOptions(Duration duration, int threads, int poolSize, List<FaultPhase> phases, String urlParameters, long seed,
        Path out) {

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    /**
     * Parses the command line.
     * @param args {@code --name=value} or {@code --name value} arguments
     * @return the options
     */
    public static ReliabilityOptions parse(String... args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("Expected --name=value or --name value, got " + arg);
            }
            if (arg.contains("=")) {
                values.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            }
            else if (i + 1 < args.length) {
                values.put(arg.substring(2), args[++i]);
            }
            else {
                throw new IllegalArgumentException("No value for " + arg);
            }
        }
        ReliabilityOptions result = new ReliabilityOptions(duration(values.getOrDefault("duration", "8m")),
                Integer.parseInt(values.getOrDefault("threads", "16")), Integer.parseInt(values.getOrDefault("pool-size", "8")),
                values.containsKey("phases") ? Arrays.stream(values.get("phases").split(",")).map(FaultPhase::of).toList()
                        : List.of(FaultPhase.values()),
                values.getOrDefault("url-parameters", ""), Long.parseLong(values.getOrDefault("seed", "42")),
                values.containsKey("out") ? Path.of(values.get("out")) : defaultOut());
        values.keySet().removeAll(List.of("duration", "threads", "pool-size", "phases", "url-parameters", "seed", "out"));
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("Unknown options " + values.keySet());
        }
        if (result.threads < 1 || result.poolSize < ReliabilityData.SHARDS / 2 || result.phases.isEmpty()) {
            throw new IllegalArgumentException("Need --threads >= 1, --pool-size >= " + ReliabilityData.SHARDS / 2 + " and a phase");
        }
        return result;
    }

    static Duration duration(String text) {
        Matcher simple = SIMPLE_DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!simple.matches()) {
            return Duration.parse(text.trim());
        }
        long amount = Long.parseLong(simple.group(1));
        return switch (simple.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    private static Path defaultOut() {
        try {
            Path location = Path.of(ReliabilityOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return location.getParent().resolve("reliability-results.md");
        }
        catch (Exception ex) {
            return Path.of("reliability-results.md");
        }
    }

    /** The time unit of the schedule: the duration over the phases' units. */
    Duration unit() {
        return this.duration.dividedBy(this.phases.stream().mapToInt(FaultPhase::units).sum());
    }

    /**
     * The options as a command line, for the report.
     * @return {@code --duration=8m ...}
     */
    String commandLine() {
        return "--duration=" + format(this.duration) + " --threads=" + this.threads + " --pool-size=" + this.poolSize + " --phases="
                + this.phases.stream().map(FaultPhase::id).collect(Collectors.joining(",")) + " --seed=" + this.seed
                + (this.urlParameters.isEmpty() ? "" : " --url-parameters=" + this.urlParameters);
    }

    private static String format(Duration duration) {
        if (duration.toMillis() % 60_000 == 0) {
            return duration.toMinutes() + "m";
        }
        return (duration.toMillis() % 1000 == 0) ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

}
