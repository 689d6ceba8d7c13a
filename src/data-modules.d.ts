// Files wrangler bundles as Data modules ([[rules]] in wrangler.toml): the import is the bytes.
declare module "*.ttf" {
  const bytes: ArrayBuffer;
  export default bytes;
}
