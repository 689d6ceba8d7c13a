// Which key signs a letter: the agency's own, else the nearest ancestor's up the agency tree, else
// the province's (SIGNING_P12_PATH); none configured means letters are issued unsigned, as before.
import type { SigningIdentity } from "./identity.js";

export interface SigningKeys {
  /** The province-wide identity (SIGNING_P12_PATH, or the Workers secret). */
  province: SigningIdentity | null;
  /** Agencies' own identities by agency code (SIGNING_P12_DIR/<code>.p12). */
  agencies: ReadonlyMap<string, SigningIdentity>;
}

export const NO_SIGNING_KEYS: SigningKeys = { province: null, agencies: new Map() };

/** Agency codes of a materialised path, nearest first: "/KH/SNV/" → ["SNV", "KH"]. */
const ancestorsOf = (path: string) => path.split("/").filter(Boolean).reverse();

/** The identity that signs for the agency at `path`, or null (the letter goes unsigned). */
export function signerFor(keys: SigningKeys, path: string): SigningIdentity | null {
  for (const code of ancestorsOf(path)) {
    const own = keys.agencies.get(code);
    if (own) return own;
  }
  return keys.province;
}
