// drizzle-kit reads the tables from here; each domain keeps its own definitions.
export * from "./audit/schema.js";
export * from "./auth/console-sessions.js";
export * from "./auth/schema.js";
export * from "./calendar/schema.js";
export * from "./catalog/schema.js";
export * from "./dossiers/schema.js";
export * from "./letters/schema.js";
export * from "./reports/schema.js";
export * from "./sweep/schema.js";
export * from "./sync/schema.js";
