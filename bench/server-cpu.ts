// CPU time of a local PostgreSQL server, for benchmarks that run work on several connections (the
// sweep's pool): the postmaster, its live children and the backends it has reaped, from /proc.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import postgres from "postgres";

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU seconds the server has used so far; null when it is not a local process this bench can see. */
export async function serverCpuSeconds(url: string): Promise<number | null> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await client<
      { data_directory: string }[]
    >`SELECT current_setting('data_directory') AS data_directory`;
    const pid = (await readFile(join(row.data_directory, "postmaster.pid"), "utf8")).split("\n")[0];
    const ticks = async (id: string, reaped: boolean) => {
      const fields = (await readFile(`/proc/${id}/stat`, "utf8")).split(") ")[1].split(" ");
      // utime, stime (and cutime, cstime for the children it has waited for): fields 14–17 of stat.
      const own = Number(fields[11]) + Number(fields[12]);
      return reaped ? own + Number(fields[13]) + Number(fields[14]) : own;
    };
    const children = (await readFile(`/proc/${pid}/task/${pid}/children`, "utf8"))
      .trim()
      .split(" ")
      .filter(Boolean);
    let total = await ticks(pid, true);
    for (const child of children) total += await ticks(child, false).catch(() => 0);
    return total / TICKS_PER_SECOND;
  } catch {
    return null;
  } finally {
    await client.end();
  }
}
