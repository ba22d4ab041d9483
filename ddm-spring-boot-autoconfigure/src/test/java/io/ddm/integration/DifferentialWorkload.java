package io.ddm.integration;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The seeded statement generator of {@link FastPathDifferentialIntegrationTests}: units of work (a statement, a
 * transaction, a batch, a statement under a routing hint) over the tables of that test, mixing the shapes a fast path
 * may take (a prepared statement whose route its parameters fully determine) with those it must leave to
 * ShardingSphere. It keeps a rough model of the rows (which keys exist) from the outcomes it is shown, so that most
 * statements find rows; the model only steers the choice of keys, it is never what a result is compared with.
 */
final class DifferentialWorkload {

    static final List<String> STATUSES = List.of("NEW", "PAID", "SHIPPED", "CANCELLED");

    /** Sharding keys whose routing is easy to get wrong: negative remainders, beyond 32 bits, beyond a double's precision. */
    private static final long[] SPECIAL_USERS = { -1, -13, 4_294_967_296L, 9_007_199_254_740_993L };

    private static final int USERS = 150;

    private static final int REGIONS = 24;

    private static final String ORDER_COLUMNS = "order_id, user_id, status, amount, note, created";

    private static final String ITEM_COLUMNS = "item_id, order_id, user_id, qty, price";

    private static final LocalDateTime EPOCH = LocalDateTime.of(2024, 1, 1, 0, 0);

    /** Statements of the load at the start: inserts only, so that later statements find rows. */
    private static final int LOAD = 900;

    private final Random random;

    private boolean readOnly;

    private final List<Key> orders = new ArrayList<>();

    private final List<Key> items = new ArrayList<>();

    private final List<Key> accounts = new ArrayList<>();

    private final List<Key> scratch = new ArrayList<>();

    private final List<Key> late = new ArrayList<>();

    private final List<Long> notes = new ArrayList<>();

    private final Deque<Scheduled> schedule = new ArrayDeque<>();

    private long lastOrderKey;

    private long nextNegativeId = -1;

    private long nextScratchId = 1;

    private long nextNoteId = 1;

    private int nextStatus;

    /** Columns of t_scratch beyond (id, user_id, v), as the scheduled DDL adds them. */
    private final List<String> scratchColumns = new ArrayList<>();

    private boolean lateExists;

    private boolean statusesLoaded;

    /**
     * A workload that writes as well as reads.
     * @param seed the seed of every choice
     */
    DifferentialWorkload(long seed) {
        this.random = new Random(seed);
        this.schedule.add(new Scheduled(1_500, "ALTER TABLE t_scratch ADD COLUMN w VARCHAR(16) NULL", () -> this.scratchColumns.add("w")));
        this.schedule.add(new Scheduled(3_000, "CREATE INDEX idx_scratch_v ON t_scratch (v)", null));
        // Fails on both sides: the column exists.
        this.schedule.add(new Scheduled(4_000, "ALTER TABLE t_scratch ADD COLUMN w INT NULL", null));
        this.schedule.add(new Scheduled(5_000, "CREATE TABLE t_late (id BIGINT NOT NULL PRIMARY KEY, user_id BIGINT NOT NULL,"
                + " v INT NOT NULL)", () -> this.lateExists = true));
        this.schedule.add(new Scheduled(6_000, "ALTER TABLE t_scratch ADD COLUMN z INT NOT NULL DEFAULT 7",
                () -> this.scratchColumns.add("z")));
        this.schedule.add(new Scheduled(7_500, "DROP INDEX idx_scratch_v ON t_scratch", null));
        this.schedule.add(new Scheduled(8_500, "DROP TABLE t_late", () -> {
            this.lateExists = false;
            this.late.clear();
        }));
        this.schedule.add(new Scheduled(9_500, "TRUNCATE TABLE t_scratch", this.scratch::clear));
    }

    /** From now on, only reads: of the rows written so far, whose keys the model knows. */
    void readOnly() {
        this.readOnly = true;
    }

    /** Tables the test creates before the workload runs, in this order. */
    static List<String> schema() {
        return List.of(
                "CREATE TABLE t_order (order_id BIGINT NOT NULL PRIMARY KEY, user_id BIGINT NOT NULL, status VARCHAR(16) NOT NULL,"
                        + " amount DECIMAL(12, 2) NOT NULL, note VARCHAR(64) NULL, created DATETIME NOT NULL,"
                        + " KEY idx_order_user (user_id))",
                "CREATE TABLE t_order_item (item_id BIGINT NOT NULL PRIMARY KEY, order_id BIGINT NOT NULL, user_id BIGINT NOT NULL,"
                        + " qty INT NOT NULL, price DECIMAL(10, 2) NOT NULL)",
                "CREATE TABLE t_account (account_id BIGINT NOT NULL, region VARCHAR(16) NOT NULL, owner VARCHAR(32) NULL,"
                        + " balance DECIMAL(14, 2) NOT NULL, PRIMARY KEY (region, account_id))",
                "CREATE TABLE t_status (code VARCHAR(16) NOT NULL PRIMARY KEY, label VARCHAR(32) NOT NULL)",
                "CREATE TABLE t_note (id BIGINT NOT NULL PRIMARY KEY, body VARCHAR(64) NOT NULL)",
                "CREATE TABLE t_scratch (id BIGINT NOT NULL PRIMARY KEY, user_id BIGINT NOT NULL, v INT NOT NULL)");
    }

    /**
     * The next unit of work.
     * @param statements statements generated so far, for the scheduled DDL
     * @return the unit
     */
    Unit next(int statements) {
        if (!this.readOnly) {
            if (!this.statusesLoaded) {
                this.statusesLoaded = true;
                return Unit.batch("load of the broadcast table", STATUSES.stream()
                    .map((code) -> step("INSERT INTO t_status (code, label) VALUES (?, ?)", Api.PREPARED, text(code),
                            text("label of " + code)))
                    .toList());
            }
            Scheduled due = this.schedule.peek();
            if (due != null && statements >= due.after()) {
                this.schedule.poll();
                if (due.effect() != null) {
                    due.effect().run();
                }
                return Unit.single("scheduled DDL", step(due.sql(), Api.STATEMENT));
            }
            if (statements < LOAD) {
                return load();
            }
        }
        return this.readOnly ? read() : any();
    }

    private Unit load() {
        int dice = this.random.nextInt(100);
        if (dice < 45) {
            return insertOrder(this.random.nextInt(5) > 0);
        }
        if (dice < 75) {
            return insertItem();
        }
        if (dice < 90) {
            return insertAccount();
        }
        if (dice < 95) {
            return insertNote();
        }
        return insertScratch();
    }

    private Unit read() {
        return pick(new Choice(14, this::pointSelect), new Choice(5, this::selectByUser), new Choice(5, this::rangeInShard),
                new Choice(5, this::extraPredicates), new Choice(5, this::itemSelect), new Choice(5, this::accountSelect),
                new Choice(3, this::join), new Choice(2, this::subquery), new Choice(2, this::or), new Choice(3, this::inList),
                new Choice(2, this::functionOnKey), new Choice(3, this::aggregate), new Choice(3, this::orderByLimit),
                new Choice(2, this::sqlHint), new Choice(2, this::primaryRouting), new Choice(1, this::hintManager),
                new Choice(2, this::broadcastSelect), new Choice(2, this::noteSelect), new Choice(2, this::scatterSelect),
                new Choice(2, this::scratchSelect), new Choice(1, this::failingRead));
    }

    private Unit any() {
        return pick(new Choice(14, this::pointSelect), new Choice(5, this::selectByUser), new Choice(5, this::rangeInShard),
                new Choice(5, this::extraPredicates), new Choice(6, () -> insertOrder(false)), new Choice(8, () -> insertOrder(true)),
                new Choice(7, this::updateOrder), new Choice(3, this::deleteOrder), new Choice(3, this::itemSelect),
                new Choice(3, this::itemWrite), new Choice(3, this::accountSelect), new Choice(4, this::accountWrite),
                new Choice(3, this::join), new Choice(2, this::subquery), new Choice(2, this::or), new Choice(3, this::inList),
                new Choice(2, this::functionOnKey), new Choice(3, this::aggregate), new Choice(3, this::orderByLimit),
                new Choice(2, this::sqlHint), new Choice(2, this::primaryRouting), new Choice(1, this::hintManager),
                new Choice(2, this::broadcast), new Choice(2, this::singleTable), new Choice(2, this::scatter),
                new Choice(1, this::multiRow), new Choice(1, this::upsert), new Choice(1, this::updateShardingKey),
                new Choice(4, this::failing),
                new Choice(1, this::batch), new Choice(5, this::transaction), new Choice(3, this::scratchAny),
                new Choice(this.lateExists ? 2 : 0, this::lateAny), new Choice(1, () -> Unit.reconnect()));
    }

    // --- t_order: shapes a fast path may take

    private Unit pointSelect() {
        Key order = order();
        String sql = switch (this.random.nextInt(9)) {
            case 0 -> "SELECT " + ORDER_COLUMNS + " FROM t_order WHERE order_id = ? AND user_id = ?";
            case 1 -> "SELECT o.order_id, o.status, o.amount FROM t_order o WHERE o.user_id = ? AND o.order_id = ?";
            case 2 -> "SELECT `order_id`, `amount` FROM `t_order` WHERE `user_id` = ? AND `order_id` = ?";
            case 3 -> "select order_id, note from t_order where user_id=? and order_id=?";
            case 4 -> "SELECT *\n  FROM t_order\n WHERE user_id = ?\n   AND order_id = ?";
            case 5 -> "SELECT order_id, amount * 2 AS doubled, UPPER(status) AS shout FROM t_order WHERE user_id = ? AND order_id = ?";
            case 6 -> "SELECT order_id, status FROM t_order WHERE ? = user_id AND order_id = ?";
            case 7 -> "SELECT order_id, created FROM t_order WHERE user_id = ? AND order_id = ? FOR UPDATE";
            default -> "SELECT " + ORDER_COLUMNS + " FROM t_order WHERE user_id = ? AND order_id = ?";
        };
        Param[] params = sql.contains("order_id = ? AND user_id") ? new Param[] { key(order.id()), key(order.user()) }
                : new Param[] { key(order.user()), key(order.id()) };
        return Unit.single("point select", step(sql, api(), params));
    }

    private Unit selectByUser() {
        long user = user();
        return Unit.single("select by the sharding key", step(this.random.nextBoolean()
                ? "SELECT " + ORDER_COLUMNS + " FROM t_order WHERE user_id = ? ORDER BY order_id"
                : "SELECT order_id, status FROM t_order WHERE user_id = ? ORDER BY created, order_id", api(), key(user)));
    }

    private Unit rangeInShard() {
        Key order = order();
        long from = order.id() - this.random.nextInt(40);
        return Unit.single("range inside one shard", step("SELECT " + ORDER_COLUMNS
                + " FROM t_order WHERE user_id = ? AND order_id BETWEEN ? AND ? ORDER BY order_id", api(), key(order.user()),
                key(from), key(from + this.random.nextInt(200))));
    }

    private Unit extraPredicates() {
        long user = user();
        return switch (this.random.nextInt(5)) {
            case 0 -> Unit.single("extra predicates", step("SELECT order_id, status, amount FROM t_order WHERE user_id = ? AND status = ?"
                    + " AND amount > ? ORDER BY order_id", api(), key(user), text(status()), money(amount())));
            case 1 -> Unit.single("extra predicates", step("SELECT order_id, note FROM t_order WHERE user_id = ? AND note IS NULL"
                    + " ORDER BY order_id", api(), key(user)));
            // A NULL parameter on a non-key column matches nothing, and routes like any other.
            case 2 -> Unit.single("setNull on a non-key column", step("SELECT order_id FROM t_order WHERE user_id = ? AND note = ?"
                    + " ORDER BY order_id", api(), key(user), nullText()));
            case 3 -> Unit.single("extra predicates", step("SELECT order_id, created FROM t_order WHERE user_id = ? AND created >= ?"
                    + " AND status <> ? ORDER BY order_id", api(), key(user), time(created()), text(status())));
            default -> Unit.single("extra predicates", step("SELECT order_id FROM t_order WHERE user_id = ? AND note LIKE ?"
                    + " ORDER BY order_id", api(), key(user), text("n%")));
        };
    }

    private Unit insertOrder(boolean generated) {
        long user = user();
        Param[] values = { key(user), text(status()), money(amount()), note(), time(created()) };
        if (generated) {
            Keys keys = (this.random.nextInt(4) == 0) ? Keys.COLUMN_NAMES : Keys.GENERATED;
            return Unit.single("insert, key generated", step("INSERT INTO t_order (user_id, status, amount, note, created)"
                    + " VALUES (?, ?, ?, ?, ?)", api(), keys, "order_id", Effect.insertGenerated("t_order", user), values));
        }
        long id = explicitOrderId();
        Param[] all = new Param[values.length + 1];
        all[0] = key(id);
        System.arraycopy(values, 0, all, 1, values.length);
        Keys keys = (this.random.nextInt(4) == 0) ? Keys.GENERATED : Keys.NONE;
        return Unit.single("insert, key given", step("INSERT INTO t_order (" + ORDER_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)", api(),
                keys, "order_id", Effect.insert("t_order", user, id), all));
    }

    /** A key of our own: mostly negative (never a sequence value), sometimes just ahead of the sequence, which moves past it. */
    private long explicitOrderId() {
        if (this.lastOrderKey > 0 && this.random.nextInt(5) == 0) {
            return this.lastOrderKey + 1 + this.random.nextInt(20);
        }
        return this.nextNegativeId--;
    }

    private Unit updateOrder() {
        Key order = order();
        return switch (this.random.nextInt(4)) {
            case 0 -> Unit.single("update by key", step("UPDATE t_order SET status = ?, amount = ? WHERE user_id = ? AND order_id = ?",
                    api(), text(status()), money(amount()), key(order.user()), key(order.id())));
            case 1 -> Unit.single("update by key, setNull", step("UPDATE t_order SET note = ? WHERE user_id = ? AND order_id = ?", api(),
                    nullText(), key(order.user()), key(order.id())));
            case 2 -> Unit.single("update by key", step("UPDATE t_order SET amount = amount + ?, note = ? WHERE order_id = ?"
                    + " AND user_id = ?", api(), money(amount()), note(), key(order.id()), key(order.user())));
            default -> Unit.single("update by sharding key", step("UPDATE t_order SET note = ? WHERE user_id = ?", api(), note(),
                    key(order.user())));
        };
    }

    private Unit deleteOrder() {
        Key order = order();
        return Unit.single("delete by key", step("DELETE FROM t_order WHERE user_id = ? AND order_id = ?", api(), Keys.NONE, null,
                Effect.delete("t_order", order), key(order.user()), key(order.id())));
    }

    // --- t_order_item (same binding group) and t_account (two sharding columns)

    private Unit insertItem() {
        Key order = order();
        return Unit.single("insert item, key generated", step("INSERT INTO t_order_item (order_id, user_id, qty, price)"
                + " VALUES (?, ?, ?, ?)", api(), Keys.GENERATED, "item_id", Effect.insertGenerated("t_order_item", order.user()),
                key(order.id()), key(order.user()), integer(1 + this.random.nextInt(9)), money(amount())));
    }

    private Unit itemSelect() {
        Key item = item();
        return this.random.nextBoolean()
                ? Unit.single("item by key", step("SELECT " + ITEM_COLUMNS + " FROM t_order_item WHERE user_id = ? AND item_id = ?",
                        api(), key(item.user()), key(item.id())))
                : Unit.single("items of an order", step("SELECT " + ITEM_COLUMNS + " FROM t_order_item WHERE user_id = ? AND order_id = ?"
                        + " ORDER BY item_id", api(), key(item.user()), key(order().id())));
    }

    private Unit itemWrite() {
        Key item = item();
        return switch (this.random.nextInt(3)) {
            case 0 -> insertItem();
            case 1 -> Unit.single("update item by key", step("UPDATE t_order_item SET qty = qty + ? WHERE user_id = ? AND item_id = ?",
                    api(), integer(this.random.nextInt(3)), key(item.user()), key(item.id())));
            default -> Unit.single("delete item by key", step("DELETE FROM t_order_item WHERE user_id = ? AND item_id = ?", api(),
                    Keys.NONE, null, Effect.delete("t_order_item", item), key(item.user()), key(item.id())));
        };
    }

    private Unit insertAccount() {
        int region = this.random.nextInt(REGIONS);
        long id = 1 + this.random.nextInt(400);
        return Unit.single("insert account (two sharding columns)", step("INSERT INTO t_account (account_id, region, owner, balance)"
                + " VALUES (?, ?, ?, ?)", api(), Keys.NONE, null, Effect.insert("t_account", region, id), key(id),
                text(region(region)), note(), money(amount())));
    }

    private Unit accountSelect() {
        Key account = account();
        String region = regionOf(account);
        return switch (this.random.nextInt(4)) {
            case 0, 1 -> Unit.single("account by both sharding columns", step("SELECT account_id, region, owner, balance FROM t_account"
                    + " WHERE region = ? AND account_id = ?", api(), text(region), key(account.id())));
            case 2 -> Unit.single("account by the database column only", step("SELECT account_id, balance FROM t_account"
                    + " WHERE region = ? ORDER BY account_id", api(), text(region)));
            default -> Unit.single("account by the table column only", step("SELECT account_id, region FROM t_account"
                    + " WHERE account_id = ? ORDER BY region", api(), key(account.id())));
        };
    }

    private Unit accountWrite() {
        Key account = account();
        String region = regionOf(account);
        return switch (this.random.nextInt(4)) {
            case 0 -> insertAccount();
            case 1 -> Unit.single("delete account by both sharding columns", step("DELETE FROM t_account WHERE region = ?"
                    + " AND account_id = ?", api(), Keys.NONE, null, Effect.delete("t_account", account), text(region), key(account.id())));
            default -> Unit.single("update account by both sharding columns", step("UPDATE t_account SET balance = balance + ?"
                    + " WHERE account_id = ? AND region = ?", api(), money(amount()), key(account.id()), text(region)));
        };
    }

    // --- shapes that must not take a fast path

    private Unit join() {
        Key order = order();
        return switch (this.random.nextInt(4)) {
            case 0 -> Unit.single("join of the binding group", step("SELECT o.order_id, o.status, i.item_id, i.qty FROM t_order o"
                    + " JOIN t_order_item i ON o.user_id = i.user_id AND o.order_id = i.order_id WHERE o.user_id = ?"
                    + " ORDER BY o.order_id, i.item_id", api(), key(order.user())));
            case 1 -> Unit.single("join of the binding group by key", step("SELECT o.order_id, i.item_id, i.price FROM t_order o"
                    + " JOIN t_order_item i ON o.user_id = i.user_id AND o.order_id = i.order_id WHERE o.user_id = ? AND o.order_id = ?"
                    + " ORDER BY i.item_id", api(), key(order.user()), key(order.id())));
            case 2 -> Unit.single("join with the broadcast table", step("SELECT o.order_id, s.label FROM t_order o JOIN t_status s"
                    + " ON s.code = o.status WHERE o.user_id = ? AND o.order_id = ?", api(), key(order.user()), key(order.id())));
            default -> Unit.single("left join across shards", step("SELECT o.order_id, COUNT(i.item_id) AS items FROM t_order o"
                    + " LEFT JOIN t_order_item i ON o.user_id = i.user_id AND o.order_id = i.order_id WHERE o.user_id IN (?, ?)"
                    + " GROUP BY o.order_id ORDER BY o.order_id", api(), key(order.user()), key(user())));
        };
    }

    private Unit subquery() {
        Key order = order();
        return switch (this.random.nextInt(4)) {
            case 0 -> Unit.single("subquery", step("SELECT order_id, amount FROM t_order WHERE user_id = ? AND order_id IN"
                    + " (SELECT order_id FROM t_order_item WHERE user_id = ? AND qty >= ?) ORDER BY order_id", api(), key(order.user()),
                    key(order.user()), integer(1 + this.random.nextInt(9))));
            case 1 -> Unit.single("derived table", step("SELECT COUNT(*) FROM (SELECT order_id FROM t_order WHERE user_id = ?) t", api(),
                    key(order.user())));
            case 2 -> Unit.single("subquery on the key", step("SELECT order_id, status FROM t_order WHERE user_id = (SELECT ?)"
                    + " AND order_id = ?", api(), key(order.user()), key(order.id())));
            default -> Unit.single("exists", step("SELECT o.order_id FROM t_order o WHERE o.user_id = ? AND EXISTS (SELECT 1 FROM"
                    + " t_order_item i WHERE i.user_id = ? AND i.order_id = o.order_id) ORDER BY o.order_id", api(), key(order.user()),
                    key(order.user())));
        };
    }

    private Unit or() {
        Key order = order();
        Key other = order();
        return switch (this.random.nextInt(3)) {
            case 0 -> Unit.single("OR on the key", step("SELECT order_id, user_id FROM t_order WHERE user_id = ? OR user_id = ?"
                    + " ORDER BY user_id, order_id", api(), key(order.user()), key(other.user())));
            case 1 -> Unit.single("OR inside one shard", step("SELECT order_id, status FROM t_order WHERE user_id = ? AND"
                    + " (order_id = ? OR status = ?) ORDER BY order_id", api(), key(order.user()), key(order.id()), text(status())));
            default -> Unit.single("OR of two keys", step("UPDATE t_order SET note = ? WHERE (user_id = ? AND order_id = ?)"
                    + " OR (user_id = ? AND order_id = ?)", api(), note(), key(order.user()), key(order.id()), key(other.user()),
                    key(other.id())));
        };
    }

    private Unit inList() {
        Key order = order();
        return switch (this.random.nextInt(4)) {
            case 0 -> Unit.single("IN on the key", step("SELECT order_id, user_id, amount FROM t_order WHERE user_id IN (?, ?, ?)"
                    + " ORDER BY user_id, order_id", api(), key(order.user()), key(user()), key(user())));
            case 1 -> Unit.single("IN of one value", step("SELECT " + ORDER_COLUMNS + " FROM t_order WHERE user_id IN (?)"
                    + " AND order_id = ?", api(), key(order.user()), key(order.id())));
            case 2 -> Unit.single("IN on the other column", step("SELECT order_id, amount FROM t_order WHERE user_id = ?"
                    + " AND order_id IN (?, ?, ?) ORDER BY order_id", api(), key(order.user()), key(order.id()), key(order().id()),
                    key(order.id() + 1)));
            default -> Unit.single("update with IN", step("UPDATE t_order SET note = ? WHERE user_id IN (?, ?) AND order_id IN (?, ?)",
                    api(), note(), key(order.user()), key(user()), key(order.id()), key(order().id())));
        };
    }

    private Unit functionOnKey() {
        Key order = order();
        return switch (this.random.nextInt(4)) {
            case 0 -> Unit.single("function on the key", step("SELECT order_id, status FROM t_order WHERE user_id + 0 = ? AND order_id = ?",
                    api(), key(order.user()), key(order.id())));
            case 1 -> Unit.single("function on the key", step("SELECT order_id FROM t_order WHERE ABS(user_id) = ? ORDER BY user_id,"
                    + " order_id", api(), key(Math.abs(order.user()))));
            case 2 -> Unit.single("expression as the value", step("SELECT order_id, amount FROM t_order WHERE user_id = ? + 0"
                    + " AND order_id = ?", api(), key(order.user()), key(order.id())));
            default -> Unit.single("function on the key", step("SELECT order_id FROM t_order WHERE CAST(user_id AS SIGNED) = ?"
                    + " ORDER BY order_id", api(), key(order.user())));
        };
    }

    private Unit aggregate() {
        Key order = order();
        return switch (this.random.nextInt(6)) {
            case 0 -> Unit.single("aggregate in one shard", step("SELECT COUNT(*), SUM(amount), MIN(order_id), MAX(order_id) FROM t_order"
                    + " WHERE user_id = ?", api(), key(order.user())));
            case 1 -> Unit.single("group by in one shard", step("SELECT status, COUNT(*), SUM(amount) FROM t_order WHERE user_id = ?"
                    + " GROUP BY status ORDER BY status", api(), key(order.user())));
            case 2 -> Unit.single("aggregate over every shard", step("SELECT COUNT(*), SUM(amount), MAX(created) FROM t_order", api()));
            case 3 -> Unit.single("group by over every shard", step("SELECT status, COUNT(*), AVG(amount) FROM t_order GROUP BY status"
                    + " ORDER BY status", api()));
            case 4 -> Unit.single("aggregate on the key", step("SELECT COUNT(*) FROM t_order WHERE user_id = ? AND order_id = ?", api(),
                    key(order.user()), key(order.id())));
            default -> Unit.single("group by across two shards", step("SELECT user_id, SUM(qty), COUNT(DISTINCT order_id)"
                    + " FROM t_order_item WHERE user_id IN (?, ?) GROUP BY user_id ORDER BY user_id", api(), key(order.user()),
                    key(user())));
        };
    }

    private Unit orderByLimit() {
        Key order = order();
        return switch (this.random.nextInt(4)) {
            case 0 -> Unit.single("ORDER BY ... LIMIT in one shard", step("SELECT order_id, amount FROM t_order WHERE user_id = ?"
                    + " ORDER BY order_id DESC LIMIT ?", api(), key(order.user()), integer(1 + this.random.nextInt(4))));
            case 1 -> Unit.single("LIMIT with offset in one shard", step("SELECT order_id, amount FROM t_order WHERE user_id = ?"
                    + " ORDER BY amount DESC, order_id LIMIT 2, 3", api(), key(order.user())));
            case 2 -> Unit.single("ORDER BY ... LIMIT over every shard", step("SELECT order_id, user_id, amount FROM t_order"
                    + " ORDER BY amount DESC, user_id, order_id LIMIT ? OFFSET ?", api(), integer(5), integer(this.random.nextInt(20))));
            default -> Unit.single("point select with LIMIT", step("SELECT " + ORDER_COLUMNS + " FROM t_order WHERE user_id = ?"
                    + " AND order_id = ? LIMIT 1", api(), key(order.user()), key(order.id())));
        };
    }

    private Unit sqlHint() {
        Key order = order();
        return this.random.nextBoolean()
                ? Unit.single("SQL hint", step("/* SHARDINGSPHERE_HINT: WRITE_ROUTE_ONLY=true */ SELECT " + ORDER_COLUMNS
                        + " FROM t_order WHERE user_id = ? AND order_id = ?", api(), key(order.user()), key(order.id())))
                : readOrWrite("SQL hint", "/* SHARDINGSPHERE_HINT: WRITE_ROUTE_ONLY=true */ UPDATE t_order SET note = ?"
                        + " WHERE user_id = ? AND order_id = ?", note(), key(order.user()), key(order.id()));
    }

    private Unit primaryRouting() {
        Key order = order();
        Unit inner = this.readOnly || this.random.nextBoolean() ? pointSelect()
                : Unit.single("update by key", step("UPDATE t_order SET amount = ? WHERE user_id = ? AND order_id = ?", api(),
                        money(amount()), key(order.user()), key(order.id())));
        return new Unit(Kind.PRIMARY_ROUTING, "PrimaryRouting (HintManager write-route-only) around " + inner.label(), inner.steps(), true);
    }

    /** Sharding values in a HintManager: ignored by DDM's standard strategies, which route by the statement's own values. */
    private Unit hintManager() {
        Unit inner = pointSelect();
        return new Unit(Kind.HINT_MANAGER, "HintManager with sharding values around " + inner.label(), inner.steps(), true);
    }

    private Unit broadcastSelect() {
        return this.random.nextBoolean()
                ? Unit.single("broadcast table by key", step("SELECT code, label FROM t_status WHERE code = ?", api(), text(status())))
                : Unit.single("broadcast table", step("SELECT code, label FROM t_status ORDER BY code", api()));
    }

    private Unit broadcast() {
        return switch (this.random.nextInt(4)) {
            case 0, 1 -> broadcastSelect();
            case 2 -> Unit.single("update of the broadcast table", step("UPDATE t_status SET label = ? WHERE code = ?", api(),
                    text("label " + this.random.nextInt(100)), text(status())));
            // Mostly a new code, sometimes one that exists.
            default -> Unit.single("insert into the broadcast table", step("INSERT INTO t_status (code, label) VALUES (?, ?)", api(),
                    text((this.random.nextInt(5) == 0) ? status() : "X" + this.nextStatus++), text("extra")));
        };
    }

    private Unit noteSelect() {
        return this.random.nextBoolean()
                ? Unit.single("single table by key", step("SELECT id, body FROM t_note WHERE id = ?", api(), key(noteId())))
                : Unit.single("single table", step("SELECT COUNT(*), MAX(id) FROM t_note", api()));
    }

    private Unit insertNote() {
        long id = this.nextNoteId++;
        return Unit.single("insert into the single table", step("INSERT INTO t_note (id, body) VALUES (?, ?)", api(), Keys.NONE, null,
                Effect.insert("t_note", 0, id), key(id), text(status())));
    }

    private Unit singleTable() {
        return switch (this.random.nextInt(5)) {
            case 0 -> noteSelect();
            case 1 -> insertNote();
            case 2 -> Unit.single("update of the single table", step("UPDATE t_note SET body = ? WHERE id = ?", api(), text(status()),
                    key(noteId())));
            case 3 -> Unit.single("replace into the single table", step("REPLACE INTO t_note (id, body) VALUES (?, ?)", api(),
                    key(noteId()), text("replaced")));
            default -> Unit.single("single table joined with the broadcast table", step("SELECT n.id, s.label FROM t_note n"
                    + " JOIN t_status s ON s.code = n.body WHERE n.id <= ? ORDER BY n.id", api(), key(noteId())));
        };
    }

    private Unit scatterSelect() {
        BigDecimal from = amount();
        return switch (this.random.nextInt(3)) {
            case 0 -> Unit.single("scatter by a non-key column", step("SELECT order_id, user_id, amount FROM t_order WHERE amount"
                    + " BETWEEN ? AND ? ORDER BY user_id, order_id", api(), money(from), money(from.add(BigDecimal.TEN))));
            case 1 -> {
                // Now and then an empty range (from above to), which must fail or answer alike.
                long user = user();
                long to = (this.random.nextInt(10) == 0) ? user - 1 - this.random.nextInt(5) : user + this.random.nextInt(3);
                yield Unit.single("range on the key", step("SELECT order_id, user_id FROM t_order WHERE user_id BETWEEN ? AND ?"
                        + " ORDER BY user_id, order_id", api(), key(user), key(to)));
            }
            default -> Unit.single("the other column only", step("SELECT order_id, user_id, status FROM t_order WHERE order_id = ?",
                    api(), key(order().id())));
        };
    }

    private Unit scatter() {
        BigDecimal from = amount();
        return switch (this.random.nextInt(4)) {
            case 0, 1 -> scatterSelect();
            case 2 -> Unit.single("scatter update", step("UPDATE t_order SET note = ? WHERE amount BETWEEN ? AND ?", api(), note(),
                    money(from), money(from.add(BigDecimal.ONE))));
            default -> Unit.single("update without the sharding key", step("UPDATE t_order SET status = ? WHERE order_id = ?", api(),
                    text(status()), key(order().id())));
        };
    }

    private Unit multiRow() {
        long first = user();
        long second = user();
        return Unit.single("multi-row insert across shards", step("INSERT INTO t_order (user_id, status, amount, note, created)"
                + " VALUES (?, ?, ?, ?, ?), (?, ?, ?, ?, ?)", api(), Keys.GENERATED, "order_id", null, key(first), text(status()),
                money(amount()), note(), time(created()), key(second), text(status()), money(amount()), note(), time(created())));
    }

    private Unit upsert() {
        Key order = order();
        return switch (this.random.nextInt(3)) {
            case 0 -> Unit.single("insert ... on duplicate key update", step("INSERT INTO t_order (" + ORDER_COLUMNS + ")"
                    + " VALUES (?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE amount = amount + 1", api(), key(order.id()),
                    key(order.user()), text(status()), money(amount()), note(), time(created())));
            case 1 -> Unit.single("insert ignore", step("INSERT IGNORE INTO t_order (" + ORDER_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)",
                    api(), key(order.id()), key(order.user()), text(status()), money(amount()), note(), time(created())));
            default -> Unit.single("insert ... select", step("INSERT INTO t_order_item (item_id, order_id, user_id, qty, price)"
                    + " SELECT order_id, order_id, user_id, 1, amount FROM t_order WHERE user_id = ? AND order_id = ?", api(),
                    key(order.user()), key(order.id())));
        };
    }

    private Unit updateShardingKey() {
        Key order = order();
        long user = this.random.nextBoolean() ? order.user() : user();
        return Unit.single("update of the sharding key", step("UPDATE t_order SET user_id = ?, note = ? WHERE user_id = ? AND order_id = ?",
                api(), key(user), note(), key(order.user()), key(order.id())));
    }

    private Unit failingRead() {
        Key order = order();
        return switch (this.random.nextInt(4)) {
            case 0 -> Unit.single("unknown column", step("SELECT order_id, nope FROM t_order WHERE user_id = ? AND order_id = ?", api(),
                    key(order.user()), key(order.id())));
            case 1 -> Unit.single("key of the wrong type", step("SELECT order_id FROM t_order WHERE user_id = ? AND order_id = ?",
                    api(), text("abc"), key(order.id())));
            case 2 -> Unit.single("NULL key", step("SELECT order_id FROM t_order WHERE user_id = ? AND order_id = ?", Api.PREPARED,
                    new Param(Setter.NULL, Types.BIGINT), key(order.id())));
            default -> Unit.single("unknown table", step("SELECT id FROM t_missing WHERE id = ?", api(), key(order.id())));
        };
    }

    private Unit failing() {
        Key order = order();
        return switch (this.random.nextInt(12)) {
            case 0, 1 -> failingRead();
            case 2 -> Unit.single("duplicate key", step("INSERT INTO t_order (" + ORDER_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)", api(),
                    key(order.id()), key(order.user()), text(status()), money(amount()), note(), time(created())));
            case 3 -> Unit.single("unknown column in SET", step("UPDATE t_order SET nope = ? WHERE user_id = ? AND order_id = ?", api(),
                    integer(1), key(order.user()), key(order.id())));
            case 4 -> Unit.single("wrong type on a non-key column", step("INSERT INTO t_order (user_id, status, amount, note, created)"
                    + " VALUES (?, ?, ?, ?, ?)", api(), key(order.user()), text(status()), text("not a number"), note(), time(created())));
            case 5 -> Unit.single("value too long", step("UPDATE t_order SET status = ? WHERE user_id = ? AND order_id = ?", api(),
                    text("A STATUS FAR TOO LONG FOR ITS COLUMN"), key(order.user()), key(order.id())));
            case 6 -> Unit.single("NULL key in an insert", step("INSERT INTO t_order (user_id, status, amount, note, created)"
                    + " VALUES (?, ?, ?, ?, ?)", Api.PREPARED, new Param(Setter.NULL, Types.BIGINT), text(status()), money(amount()),
                    note(), time(created())));
            case 7 -> Unit.single("NULL in a NOT NULL column", step("UPDATE t_order SET status = ? WHERE user_id = ? AND order_id = ?",
                    Api.PREPARED, new Param(Setter.NULL, Types.VARCHAR), key(order.user()), key(order.id())));
            case 8 -> Unit.single("syntax error", step("SELECT order_id FROM t_order WHERE user_id = ? AND", api(), key(order.user())));
            case 9 -> Unit.single("update through executeQuery", new Step("UPDATE t_order SET note = ? WHERE user_id = ? AND order_id = ?",
                    List.of(note(), key(order.user()), key(order.id())), api(), Keys.NONE, null, Execution.QUERY, null));
            case 10 -> Unit.single("parameter index beyond the statement", step("SELECT order_id FROM t_order WHERE user_id = ?"
                    + " AND order_id = ?", Api.PREPARED, key(order.user()), key(order.id()), key(1)));
            default -> Unit.single("delete with a NULL key", step("DELETE FROM t_order WHERE user_id = ? AND order_id = ?", Api.PREPARED,
                    new Param(Setter.NULL, Types.BIGINT), key(order.id())));
        };
    }

    private Unit batch() {
        Api api = switch (this.random.nextInt(3)) {
            case 0 -> Api.STATEMENT;
            case 1 -> Api.REUSED;
            default -> Api.PREPARED;
        };
        List<Step> rows = new ArrayList<>();
        int size = 2 + this.random.nextInt(5);
        if (this.random.nextBoolean()) {
            for (int i = 0; i < size; i++) {
                long user = user();
                rows.add(step("INSERT INTO t_order (user_id, status, amount, note, created) VALUES (?, ?, ?, ?, ?)", api,
                        (api == Api.STATEMENT) ? Keys.NONE : Keys.GENERATED, "order_id", Effect.insertGenerated("t_order", user), key(user),
                        text(status()), money(amount()), note(), time(created())));
            }
            return Unit.batch("batch of inserts", rows);
        }
        for (int i = 0; i < size; i++) {
            Key order = order();
            rows.add(step("UPDATE t_order SET amount = ? WHERE user_id = ? AND order_id = ?", api, money(amount()), key(order.user()),
                    key(order.id())));
        }
        return Unit.batch("batch of updates by key", rows);
    }

    private Unit transaction() {
        List<Step> steps = new ArrayList<>();
        int size = 2 + this.random.nextInt(5);
        while (steps.size() < size) {
            Unit part = pick(new Choice(5, this::pointSelect), new Choice(3, () -> insertOrder(true)),
                    new Choice(2, () -> insertOrder(false)),
                    new Choice(4, this::updateOrder), new Choice(1, this::deleteOrder), new Choice(2, this::insertItem),
                    new Choice(2, this::accountWrite), new Choice(1, this::scatterSelect), new Choice(1, this::inList),
                    new Choice(1, this::aggregate), new Choice(1, this::failing), new Choice(1, this::broadcast));
            steps.addAll(part.steps());
        }
        boolean commit = this.random.nextInt(10) < 7;
        return new Unit(Kind.TRANSACTION, "transaction, then " + (commit ? "commit" : "rollback"), steps, commit);
    }

    private Unit scratchAny() {
        String columns = "id, user_id, v" + this.scratchColumns.stream().map((column) -> ", " + column).collect(Collectors.joining());
        if (this.scratch.isEmpty() || this.random.nextInt(3) == 0) {
            return insertScratch();
        }
        Key row = this.scratch.get(this.random.nextInt(this.scratch.size()));
        return switch (this.random.nextInt(3)) {
            case 0 -> Unit.single("scratch table by key", step("SELECT " + columns + " FROM t_scratch WHERE user_id = ? AND id = ?", api(),
                    key(row.user()), key(row.id())));
            // Prepared anew each time: a statement prepared before an ALTER TABLE would list the columns of then.
            case 1 -> Unit.single("scratch table, every column", step("SELECT * FROM t_scratch WHERE user_id = ? AND id = ?",
                    Api.PREPARED, key(row.user()), key(row.id())));
            default -> Unit.single("scratch table update by key", step("UPDATE t_scratch SET v = v + 1 WHERE user_id = ? AND id = ?",
                    api(), key(row.user()), key(row.id())));
        };
    }

    private Unit scratchSelect() {
        if (this.scratch.isEmpty()) {
            return pointSelect();
        }
        Key row = this.scratch.get(this.random.nextInt(this.scratch.size()));
        return Unit.single("scratch table by key", step("SELECT * FROM t_scratch WHERE user_id = ? AND id = ?", Api.PREPARED,
                key(row.user()), key(row.id())));
    }

    private Unit insertScratch() {
        long user = user();
        long id = this.nextScratchId++;
        List<Param> params = new ArrayList<>(List.of(key(id), key(user), integer(this.random.nextInt(1000))));
        StringBuilder columns = new StringBuilder("id, user_id, v");
        for (String column : this.scratchColumns) {
            columns.append(", ").append(column);
            params.add(column.equals("w") ? note() : integer(this.random.nextInt(50)));
        }
        String marks = params.stream().map((param) -> "?").collect(Collectors.joining(", "));
        return Unit.single("insert into the scratch table", step("INSERT INTO t_scratch (" + columns + ") VALUES (" + marks + ")", api(),
                Keys.NONE, null, Effect.insert("t_scratch", user, id), params.toArray(Param[]::new)));
    }

    /** A table created through DDM while the workload runs, later dropped (statements on it then fail alike). */
    private Unit lateAny() {
        if (this.late.isEmpty() || this.random.nextInt(3) == 0) {
            long user = user();
            long id = this.nextScratchId++;
            return Unit.single("insert into a table created later", step("INSERT INTO t_late (id, user_id, v) VALUES (?, ?, ?)", api(),
                    Keys.NONE, null, Effect.insert("t_late", user, id), key(id), key(user), integer(this.random.nextInt(100))));
        }
        Key row = this.late.get(this.random.nextInt(this.late.size()));
        return this.random.nextBoolean()
                ? Unit.single("table created later, by key", step("SELECT id, user_id, v FROM t_late WHERE user_id = ? AND id = ?", api(),
                        key(row.user()), key(row.id())))
                : Unit.single("table created later, update by key", step("UPDATE t_late SET v = v + 1 WHERE user_id = ? AND id = ?", api(),
                        key(row.user()), key(row.id())));
    }

    private Unit readOrWrite(String label, String sql, Param... params) {
        return Unit.single(label, step(sql, api(), params));
    }

    // --- the model

    /**
     * Learns from the outcome of a unit on the reference side: keys inserted (given or generated) and deleted.
     * @param unit the unit
     * @param outcomes one outcome per step, as {@link DifferentialSide#run} returns them
     */
    void observe(Unit unit, List<DifferentialSide.Outcome> outcomes) {
        if (unit.kind() == Kind.TRANSACTION && !unit.commit()) {
            return;
        }
        boolean committed = outcomes.stream().noneMatch((outcome) -> outcome.step() < 0 && outcome.failed());
        if (!committed) {
            return;
        }
        for (int i = 0; i < unit.steps().size(); i++) {
            Step step = unit.steps().get(i);
            DifferentialSide.Outcome outcome = outcomeOf(outcomes, i);
            if (outcome == null || outcome.failed()) {
                continue;
            }
            if (step.sql().startsWith("INSERT INTO t_order ")) {
                outcome.generatedKeys().forEach((key) -> this.lastOrderKey = Math.max(this.lastOrderKey, key));
            }
            if (unit.kind() == Kind.BATCH) {
                // One outcome for the whole batch: its keys belong to the steps in order.
                for (int row = 0; row < unit.steps().size() && row < outcome.generatedKeys().size(); row++) {
                    learn(unit.steps().get(row).effect(), 1, outcome.generatedKeys().get(row));
                }
                return;
            }
            learn(step.effect(), outcome.updateCount(), outcome.generatedKeys().isEmpty() ? null : outcome.generatedKeys().get(0));
        }
    }

    private void learn(Effect effect, long updateCount, Long generatedKey) {
        if (effect == null) {
            return;
        }
        List<Key> rows = rowsOf(effect.table());
        switch (effect.kind()) {
            case INSERT -> {
                if (updateCount > 0) {
                    add(effect.table(), rows, new Key(effect.user(), effect.id()));
                }
            }
            case INSERT_GENERATED -> {
                if (generatedKey != null) {
                    add(effect.table(), rows, new Key(effect.user(), generatedKey));
                }
            }
            case DELETE -> {
                if (updateCount > 0 && rows != null) {
                    rows.remove(new Key(effect.user(), effect.id()));
                }
            }
        }
    }

    private void add(String table, List<Key> rows, Key key) {
        if (table.equals("t_note")) {
            this.notes.add(key.id());
        }
        else if (rows != null) {
            rows.add(key);
        }
    }

    private static DifferentialSide.Outcome outcomeOf(List<DifferentialSide.Outcome> outcomes, int step) {
        return outcomes.stream().filter((outcome) -> outcome.step() == step).findFirst().orElse(null);
    }

    private List<Key> rowsOf(String table) {
        return switch (table) {
            case "t_order" -> this.orders;
            case "t_order_item" -> this.items;
            case "t_account" -> this.accounts;
            case "t_scratch" -> this.scratch;
            case "t_late" -> this.late;
            default -> null;
        };
    }

    private Key order() {
        if (this.orders.isEmpty() || this.random.nextInt(12) == 0) {
            return new Key(user(), this.random.nextInt(2_000) - 100);
        }
        return this.orders.get(this.random.nextInt(this.orders.size()));
    }

    private Key item() {
        if (this.items.isEmpty() || this.random.nextInt(12) == 0) {
            return new Key(user(), this.random.nextInt(3_000));
        }
        return this.items.get(this.random.nextInt(this.items.size()));
    }

    /** An account's key: the number of its region and its id. */
    private Key account() {
        if (this.accounts.isEmpty() || this.random.nextInt(10) == 0) {
            return new Key(this.random.nextInt(REGIONS), 1 + this.random.nextInt(400));
        }
        return this.accounts.get(this.random.nextInt(this.accounts.size()));
    }

    private static String regionOf(Key account) {
        return region((int) account.user());
    }

    private long noteId() {
        return this.notes.isEmpty() ? 1 : this.notes.get(this.random.nextInt(this.notes.size())) + this.random.nextInt(2);
    }

    private long user() {
        return (this.random.nextInt(20) == 0) ? SPECIAL_USERS[this.random.nextInt(SPECIAL_USERS.length)] : this.random.nextInt(USERS);
    }

    private static String region(int number) {
        return String.format(Locale.ROOT, "r%02d", number);
    }

    private String status() {
        return STATUSES.get(this.random.nextInt(STATUSES.size()));
    }

    private BigDecimal amount() {
        return BigDecimal.valueOf(this.random.nextInt(100_000), 2);
    }

    private LocalDateTime created() {
        return EPOCH.plusSeconds(this.random.nextInt(31_536_000));
    }

    // --- parameters

    /** A sharding key or id, set in one of the ways applications set them. */
    private Param key(long value) {
        int dice = this.random.nextInt(20);
        if (dice < 10) {
            return new Param(Setter.LONG, value);
        }
        if (dice < 13) {
            return new Param(Setter.OBJECT, value);
        }
        if (dice < 16 && value == (int) value) {
            return new Param(Setter.INT, (int) value);
        }
        if (dice < 19) {
            // A numeric string routes like the number (and leading zeros do not change it).
            return new Param(Setter.STRING, (dice == 18 && value >= 0) ? "00" + value : Long.toString(value));
        }
        return new Param(Setter.BIG_DECIMAL, BigDecimal.valueOf(value));
    }

    private Param integer(int value) {
        return switch (this.random.nextInt(3)) {
            case 0 -> new Param(Setter.LONG, (long) value);
            case 1 -> new Param(Setter.OBJECT, value);
            default -> new Param(Setter.INT, value);
        };
    }

    private Param text(String value) {
        return new Param(this.random.nextInt(4) == 0 ? Setter.OBJECT : Setter.STRING, value);
    }

    private Param nullText() {
        return this.random.nextBoolean() ? new Param(Setter.NULL, Types.VARCHAR) : new Param(Setter.OBJECT, null);
    }

    private Param note() {
        return (this.random.nextInt(3) == 0) ? nullText() : text("n" + this.random.nextInt(1000));
    }

    private Param money(BigDecimal value) {
        return switch (this.random.nextInt(6)) {
            case 0 -> new Param(Setter.STRING, value.toPlainString());
            case 1 -> new Param(Setter.OBJECT, value);
            case 2 -> new Param(Setter.DOUBLE, value.doubleValue());
            default -> new Param(Setter.BIG_DECIMAL, value);
        };
    }

    private Param time(LocalDateTime value) {
        return switch (this.random.nextInt(3)) {
            case 0 -> new Param(Setter.TIMESTAMP, value);
            case 1 -> new Param(Setter.OBJECT, value);
            default -> new Param(Setter.STRING, Param.DATE_TIME.format(value));
        };
    }

    private Api api() {
        int dice = this.random.nextInt(100);
        if (dice < 50) {
            return Api.PREPARED;
        }
        if (dice < 80) {
            return Api.REUSED;
        }
        return (dice < 92) ? Api.STATEMENT : Api.PREPARED_LITERALS;
    }

    private Step step(String sql, Api api, Param... params) {
        return step(sql, api, Keys.NONE, null, null, params);
    }

    private Step step(String sql, Api api, Keys keys, String keyColumn, Effect effect, Param... params) {
        boolean query = sql.contains("SELECT") && !sql.startsWith("INSERT") || sql.startsWith("select");
        Execution execution = (this.random.nextInt(10) == 0) ? Execution.EXECUTE : query ? Execution.QUERY : Execution.UPDATE;
        return new Step(sql, List.of(params), api, keys, keyColumn, execution, effect);
    }

    private Unit pick(Choice... choices) {
        int total = Arrays.stream(choices).mapToInt(Choice::weight).sum();
        int dice = this.random.nextInt(total);
        for (Choice choice : choices) {
            dice -= choice.weight();
            if (dice < 0) {
                return choice.unit().get();
            }
        }
        throw new IllegalStateException("no choice");
    }

    private record Choice(int weight, Supplier<Unit> unit) {
    }

    private record Scheduled(int after, String sql, Runnable effect) {
    }

    /** A row's key: the sharding value (the region's number for t_account) and the id. */
    record Key(long user, long id) {
    }

    // --- what the generator produces

    enum Kind {

        /** One statement, autocommitted. */
        SINGLE,

        /** Several statements in a transaction, then commit or rollback. */
        TRANSACTION,

        /** One statement per step added to a JDBC batch, then executed together. */
        BATCH,

        /** The steps inside {@code PrimaryRouting.call}. */
        PRIMARY_ROUTING,

        /** The steps under a {@code HintManager} holding database and table sharding values. */
        HINT_MANAGER,

        /** No statement: the connection is closed and a new one taken. */
        RECONNECT

    }

    /** How a statement reaches JDBC. */
    enum Api {

        /** A new prepared statement, parameters bound, closed after it ran. */
        PREPARED,

        /** One prepared statement per SQL and connection, run again with each unit's parameters. */
        REUSED,

        /** A plain {@code Statement} with the parameters written into the SQL as literals. */
        STATEMENT,

        /** A prepared statement without parameters: the values are literals in its SQL. */
        PREPARED_LITERALS

    }

    /** Which generated keys a statement asks for. */
    enum Keys {

        NONE, GENERATED, COLUMN_NAMES

    }

    enum Execution {

        QUERY, UPDATE, EXECUTE

    }

    /**
     * A unit of work.
     * @param kind how its steps run
     * @param label what it is, for messages
     * @param steps its statements
     * @param commit for a transaction, whether it ends with a commit (else a rollback)
     */
    record Unit(Kind kind, String label, List<Step> steps, boolean commit) {

        static Unit single(String label, Step step) {
            return new Unit(Kind.SINGLE, label, List.of(step), true);
        }

        static Unit batch(String label, List<Step> steps) {
            return new Unit(Kind.BATCH, label, steps, true);
        }

        static Unit reconnect() {
            return new Unit(Kind.RECONNECT, "a new connection", List.of(), true);
        }

        /** Whether a step may change rows or tables, so that the physical tables are compared after it. */
        boolean writes() {
            return this.kind == Kind.TRANSACTION || this.steps.stream().anyMatch(Step::writes);
        }

    }

    /**
     * One statement.
     * @param sql its SQL, with {@code ?} for every parameter
     * @param params its parameters
     * @param api how it reaches JDBC
     * @param keys the generated keys it asks for
     * @param keyColumn the key column named for {@link Keys#COLUMN_NAMES}
     * @param execution which execute method runs it
     * @param effect what the model learns when it succeeds, or {@code null}
     */
    record Step(String sql, List<Param> params, Api api, Keys keys, String keyColumn, Execution execution, Effect effect) {

        /** The SQL with the parameters written as literals, for {@link Api#STATEMENT} and {@link Api#PREPARED_LITERALS}. */
        String literalSql() {
            StringBuilder result = new StringBuilder();
            int next = 0;
            for (char each : this.sql.toCharArray()) {
                if (each == '?' && next < this.params.size()) {
                    result.append(this.params.get(next++).literal());
                }
                else {
                    result.append(each);
                }
            }
            return result.toString();
        }

        boolean writes() {
            String text = this.sql.replaceFirst("^/\\*.*?\\*/\\s*", "").toUpperCase(Locale.ROOT);
            return !text.startsWith("SELECT");
        }

        @Override
        public String toString() {
            return this.api + " " + this.execution + ((this.keys != Keys.NONE) ? " " + this.keys : "") + ": " + this.sql
                    + (this.params.isEmpty() ? "" : " " + this.params);
        }

    }

    /**
     * What a successful step tells the model.
     * @param kind insert with the key given, insert with a generated key, or delete
     * @param table the logical table
     * @param user the sharding value
     * @param id the row's key
     */
    record Effect(EffectKind kind, String table, long user, long id) {

        static Effect insert(String table, long user, long id) {
            return new Effect(EffectKind.INSERT, table, user, id);
        }

        static Effect insertGenerated(String table, long user) {
            return new Effect(EffectKind.INSERT_GENERATED, table, user, 0);
        }

        static Effect delete(String table, Key key) {
            return new Effect(EffectKind.DELETE, table, key.user(), key.id());
        }

    }

    enum EffectKind {

        INSERT, INSERT_GENERATED, DELETE

    }

    /** How a parameter is set. */
    enum Setter {

        LONG, INT, STRING, OBJECT, BIG_DECIMAL, DOUBLE, TIMESTAMP,

        /** {@code setNull} with the SQL type held as the value. */
        NULL

    }

    /**
     * One JDBC parameter.
     * @param setter how it is set
     * @param value its value
     */
    record Param(Setter setter, Object value) {

        static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

        void bind(PreparedStatement statement, int index) throws SQLException {
            switch (this.setter) {
                case LONG -> statement.setLong(index, (Long) this.value);
                case INT -> statement.setInt(index, (Integer) this.value);
                case STRING -> statement.setString(index, (String) this.value);
                case OBJECT -> statement.setObject(index, this.value);
                case BIG_DECIMAL -> statement.setBigDecimal(index, (BigDecimal) this.value);
                case DOUBLE -> statement.setDouble(index, (Double) this.value);
                case TIMESTAMP -> statement.setTimestamp(index, Timestamp.valueOf((LocalDateTime) this.value));
                case NULL -> statement.setNull(index, (Integer) this.value);
            }
        }

        String literal() {
            if (this.setter == Setter.NULL || this.value == null) {
                return "NULL";
            }
            if (this.value instanceof String text) {
                return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
            }
            if (this.value instanceof LocalDateTime time) {
                return "'" + DATE_TIME.format(time) + "'";
            }
            if (this.value instanceof BigDecimal decimal) {
                return decimal.toPlainString();
            }
            if (this.value instanceof Double number) {
                return BigDecimal.valueOf(number).toPlainString();
            }
            return this.value.toString();
        }

        @Override
        public String toString() {
            String name = switch (this.setter) {
                case LONG -> "setLong";
                case INT -> "setInt";
                case STRING -> "setString";
                case OBJECT -> "setObject";
                case BIG_DECIMAL -> "setBigDecimal";
                case DOUBLE -> "setDouble";
                case TIMESTAMP -> "setTimestamp";
                case NULL -> "setNull";
            };
            String shown;
            if (this.setter == Setter.NULL) {
                shown = ((Integer) this.value == Types.BIGINT) ? "Types.BIGINT" : "Types.VARCHAR";
            }
            else if (this.value instanceof String) {
                shown = "\"" + this.value + "\"";
            }
            else if (this.setter == Setter.OBJECT && this.value != null) {
                shown = this.value + " as " + this.value.getClass().getSimpleName();
            }
            else {
                shown = String.valueOf(this.value);
            }
            return name + "(" + shown + ")";
        }

    }

}
