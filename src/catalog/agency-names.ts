// How an agency's name is compared when a one-stop system sends the name instead of the code
// (DonViXuLy = "UBND xã Ninh Sơn"). Pure. Two spellings of one name must meet, two names must not:
// case, Unicode form, spacing and punctuation are ignored; the tone mark's place in a syllable is
// ignored ("Thuỷ"/"Thủy", "Hoà"/"Hòa": the old and new spelling rules of Vietnamese); the standard
// abbreviation "UBND" stands for "Ủy ban nhân dân". Letters and their marks are kept otherwise:
// "Ninh Sơn" and "Ninh Son" are different names.

/** The five tone marks as combining characters (huyền, sắc, hỏi, ngã, nặng). */
const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;
const WORDS = /[\p{L}\p{M}\p{N}]+/gu;

/** A syllable with its tone mark moved to its end: one key whichever vowel carries the mark. */
function syllableKey(syllable: string): string {
  const decomposed = syllable.normalize("NFD");
  const tones = decomposed.match(TONE_MARKS) ?? [];
  return (decomposed.replace(TONE_MARKS, "") + tones.join("")).normalize("NFC");
}

const syllablesOf = (text: string) =>
  (text.toLowerCase().normalize("NFC").match(WORDS) ?? []).map(syllableKey);

/** Abbreviations officials write either way, as [full form's syllables, abbreviation]. */
const ABBREVIATIONS: ReadonlyArray<[string[], string]> = [[syllablesOf("Ủy ban nhân dân"), "ubnd"]];

function abbreviated(syllables: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < syllables.length; i++) {
    const match = ABBREVIATIONS.find(([full]) => full.every((s, j) => syllables[i + j] === s));
    if (match) {
      out.push(match[1]);
      i += match[0].length - 1;
    } else {
      out.push(syllables[i]);
    }
  }
  return out;
}

/**
 * The comparison key of an agency name or alias: lower case, words of letters and digits only,
 * tone marks at the end of their syllable, abbreviations in one form. Not for display.
 */
export function agencyNameKey(name: string): string {
  return abbreviated(syllablesOf(name)).join(" ");
}
