import { timestamp } from "drizzle-orm/pg-core";

/** Every instant is stored as timestamptz and handled as a JS Date (DOMAIN §2: store UTC, show local). */
export const instant = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const createdAt = () => instant("created_at").notNull().defaultNow();
