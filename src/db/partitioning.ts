// Declarative partitioning of the large tables, as docs/SCALE-OUT.md proposes for one PostgreSQL
// node before sharding: the per-dossier tables hashed on the dossier code (the Citus distribution
// column, so each partition is a shard's worth of co-located rows), the append-only logs by time
// (a year is detached or dropped in one statement). Every query and every migration runs unchanged
// on the result (test/db/partitioning.test.ts).
import { type SQL, sql } from "drizzle-orm";
import { type Db, queryRows } from "./client.js";

export interface PartitionPlan {
  table: string;
  /** The PARTITION BY clause. */
  by: string;
  /** A partitioned table's primary key must contain its partition key. */
  primaryKey: string[];
  /** Each partition's name suffix and its FOR VALUES clause (or DEFAULT). */
  partitions: { suffix: string; bounds: string }[];
}

export const HASH_PARTITIONS = 8;
/** Years of the time partitions; rows outside them land in the DEFAULT partition. */
export const PARTITION_YEARS = { from: 2024, to: 2030 } as const;

function hashPartitions(modulus: number): PartitionPlan["partitions"] {
  return Array.from({ length: modulus }, (_, r) => ({
    suffix: `h${r}`,
    bounds: `FOR VALUES WITH (MODULUS ${modulus}, REMAINDER ${r})`,
  }));
}

function yearlyPartitions(from: number, to: number): PartitionPlan["partitions"] {
  const years = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  return [
    ...years.map((y) => ({
      suffix: `y${y}`,
      bounds: `FOR VALUES FROM ('${y}-01-01Z') TO ('${y + 1}-01-01Z')`,
    })),
    { suffix: "default", bounds: "DEFAULT" },
  ];
}

/** The plan of docs/SCALE-OUT.md ("One node: partitions"). */
export const SCALE_OUT_PARTITIONS: readonly PartitionPlan[] = [
  { table: "dossiers", by: "HASH (code)", primaryKey: ["code"], partitions: hashPartitions(HASH_PARTITIONS) },
  {
    table: "dossier_steps",
    by: "HASH (dossier_code)",
    primaryKey: ["dossier_code", "seq"],
    partitions: hashPartitions(HASH_PARTITIONS),
  },
  {
    table: "dossier_pauses",
    by: "HASH (dossier_code)",
    primaryKey: ["dossier_code", "seq"],
    partitions: hashPartitions(HASH_PARTITIONS),
  },
  {
    table: "dossier_history",
    by: "RANGE (created_at)",
    primaryKey: ["id", "created_at"],
    partitions: yearlyPartitions(PARTITION_YEARS.from, PARTITION_YEARS.to),
  },
  {
    table: "audit_log",
    by: "RANGE (created_at)",
    primaryKey: ["id", "created_at"],
    partitions: yearlyPartitions(PARTITION_YEARS.from, PARTITION_YEARS.to),
  },
];

const ident = (name: string) => sql.raw(`"${name.replaceAll('"', '""')}"`);
const list = (names: string[]) => sql.raw(names.map((n) => `"${n.replaceAll('"', '""')}"`).join(", "));

/**
 * Rebuilds each table of the plan as a partitioned table with the same columns, defaults, checks,
 * indexes (names kept) and rows, in the caller's transaction. Copying is fine for a schema being set
 * up or a table of a few million rows; a live national table would be attached partition by partition.
 */
export async function partitionTables(
  db: Db,
  plans: readonly PartitionPlan[] = SCALE_OUT_PARTITIONS,
): Promise<string[]> {
  return db.transaction(async (tx) => {
    const done = await queryRows<{ table: string }>(
      tx,
      sql`SELECT c.relname AS table FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid`,
    );
    const todo = plans.filter((plan) => !done.some((d) => d.table === plan.table));
    for (const plan of todo) await partitionTable(tx as unknown as Db, plan);
    return todo.map((plan) => plan.table);
  });
}

async function partitionTable(db: Db, plan: PartitionPlan): Promise<void> {
  const { table } = plan;
  const old = `${table}__unpartitioned`;
  const [pk] = await queryRows<{ name: string }>(
    db,
    sql`SELECT conname AS name FROM pg_constraint WHERE conrelid = ${table}::regclass AND contype = 'p'`,
  );
  const indexes = await queryRows<{ def: string }>(
    db,
    sql`SELECT pg_get_indexdef(i.indexrelid) AS def FROM pg_index i
        WHERE i.indrelid = ${table}::regclass AND NOT i.indisprimary ORDER BY i.indexrelid`,
  );
  const sequences = await queryRows<{ column: string; sequence: string }>(
    db,
    sql`SELECT a.attname AS column, pg_get_serial_sequence(${table}, a.attname) AS sequence
        FROM pg_attribute a WHERE a.attrelid = ${table}::regclass AND a.attnum > 0 AND NOT a.attisdropped
          AND pg_get_serial_sequence(${table}, a.attname) IS NOT NULL`,
  );
  const run = (query: SQL) => db.execute(query);
  await run(sql`ALTER TABLE ${ident(table)} RENAME TO ${ident(old)}`);
  if (pk)
    await run(
      sql`ALTER TABLE ${ident(old)} RENAME CONSTRAINT ${ident(pk.name)} TO ${ident(`${pk.name}__old`)}`,
    );
  for (const { sequence } of sequences) await run(sql.raw(`ALTER SEQUENCE ${sequence} OWNED BY NONE`));
  await run(sql`CREATE TABLE ${ident(table)} (LIKE ${ident(old)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS
    INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY ${sql.raw(plan.by)}`);
  await run(
    sql`ALTER TABLE ${ident(table)} ADD CONSTRAINT ${ident(pk?.name ?? `${table}_pkey`)} PRIMARY KEY (${list(plan.primaryKey)})`,
  );
  for (const { suffix, bounds } of plan.partitions) {
    await run(
      sql`CREATE TABLE ${ident(`${table}_${suffix}`)} PARTITION OF ${ident(table)} ${sql.raw(bounds)}`,
    );
  }
  await run(sql`INSERT INTO ${ident(table)} SELECT * FROM ${ident(old)}`);
  await run(sql`DROP TABLE ${ident(old)}`);
  for (const { column, sequence } of sequences) {
    await run(sql.raw(`ALTER SEQUENCE ${sequence} OWNED BY "${table}"."${column}"`));
  }
  // pg_get_indexdef named the table before its rename: the same name, now the partitioned one.
  for (const { def } of indexes) await run(sql.raw(def));
}
