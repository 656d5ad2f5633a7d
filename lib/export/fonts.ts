/**
 * The PDF's fonts: Noto Sans (SIL Open Font License 1.1) from the npm package
 * `@expo-google-fonts/noto-sans`, whose static TTFs cover Latin with every European diacritic,
 * Greek and Cyrillic (Ukrainian ґ є і ї included). pdfkit embeds only the glyphs a document uses.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as fontkit from 'fontkit';

export type FontFace = 'regular' | 'bold' | 'italic' | 'boldItalic';

const FILES: Record<FontFace, string> = {
  regular: '400Regular/NotoSans_400Regular.ttf',
  bold: '700Bold/NotoSans_700Bold.ttf',
  italic: '400Regular_Italic/NotoSans_400Regular_Italic.ttf',
  boldItalic: '700Bold_Italic/NotoSans_700Bold_Italic.ttf',
};

let loaded: Record<FontFace, fontkit.Font> | null = null;

/**
 * The package folder under the working directory's node_modules, found at run time (as
 * db/client.ts finds its migrations): route code is bundled by Next.js, where __dirname does not
 * point at the installed package. Spelled out in full so Next.js traces just these files.
 */
const fontFile = (face: FontFace) =>
  path.join(process.cwd(), 'node_modules', '@expo-google-fonts', 'noto-sans', FILES[face]);

function parse(file: string): fontkit.Font {
  const font = fontkit.create(readFileSync(file));
  if (!('layout' in font)) throw new Error(`${file} is a font collection, not one font`);
  return font;
}

/**
 * The four faces, read and parsed once per process: pdfkit given the bytes would parse them
 * again for every document, which took most of a second. Each document still makes its own
 * subset of the shared font.
 */
export function pdfFonts(): Record<FontFace, fontkit.Font> {
  if (loaded) return loaded;
  const open = (face: FontFace) => parse(fontFile(face));
  loaded = {
    regular: open('regular'),
    bold: open('bold'),
    italic: open('italic'),
    boldItalic: open('boldItalic'),
  };
  return loaded;
}
