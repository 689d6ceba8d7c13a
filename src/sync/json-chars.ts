// The characters JSON's structure is written with: all ASCII, so each is the same number as a
// UTF-16 code unit (a dump read as text, dump-reader.ts) and as a UTF-8 byte (a pushed body read
// as bytes, body-split.ts).

export enum JsonChar {
  Tab = 0x09,
  LineFeed = 0x0a,
  Return = 0x0d,
  Space = 0x20,
  Quote = 0x22,
  Comma = 0x2c,
  Colon = 0x3a,
  OpenBracket = 0x5b,
  Backslash = 0x5c,
  CloseBracket = 0x5d,
  OpenBrace = 0x7b,
  CloseBrace = 0x7d,
}

/** JSON's whitespace: space, tab, line feed, carriage return. */
export const isJsonSpace = (c: number) =>
  c === JsonChar.Space || c === JsonChar.LineFeed || c === JsonChar.Return || c === JsonChar.Tab;
