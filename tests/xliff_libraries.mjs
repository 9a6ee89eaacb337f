// What a vendor's tool built on an npm XLIFF library does to Careleaf's file: read it with the
// library, change some targets' words through the library's API, write it back with the library.
//   node tests/xliff_libraries.mjs LIBRARY IN.xlf OUT.xlf EDITS.json
// LIBRARY: "xliff" (locize's xliff, its default options), "xliff-inline-as-string" (the same library
// reading inline codes as strings, as its inlineAsString option does) or "ilib-xliff".
// EDITS: [{"original": ..., "id": ..., "find": ..., "replace": ...}], words replaced in one target.
import { readFileSync, writeFileSync } from 'node:fs'
import xliff from 'xliff'
import { Xliff } from 'ilib-xliff'

const [library, input, output, editsFile] = process.argv.slice(2)
const text = readFileSync(input, 'utf8')
const edits = JSON.parse(readFileSync(editsFile, 'utf8'))

// A target's words changed where they are; its inline codes (objects, for locize) left as they were.
function replaced (target, edit) {
  const pieces = Array.isArray(target) ? target : [target]
  const index = pieces.findIndex((piece) => typeof piece === 'string' && piece.includes(edit.find))
  if (index < 0) throw new Error(`${edit.original} ${edit.id}: no ${JSON.stringify(edit.find)} in its target`)
  const changed = pieces.map((piece, at) => at === index ? piece.replace(edit.find, edit.replace) : piece)
  return Array.isArray(target) ? changed : changed[0]
}

async function locize (inlineAsString) {
  const document = inlineAsString ? await xliff.xliff12ToJs(text, { inlineAsString: true }) : await xliff.xliff12ToJs(text)
  for (const edit of edits) {
    const unit = document.resources[edit.original][edit.id]
    unit.target = replaced(unit.target, edit)
  }
  return xliff.jsToXliff12(document)
}

function ilib () {
  const document = new Xliff({ version: '1.2' })
  document.deserialize(text)
  const units = document.getTranslationUnits()
  for (const edit of edits) {
    const unit = units.find((candidate) => candidate.file === edit.original && candidate.id === edit.id)
    if (!unit) throw new Error(`${edit.original} ${edit.id}: no such unit`)
    unit.target = replaced(unit.target, edit)
  }
  return document.serialize()
}

const tools = {
  xliff: () => locize(false),
  'xliff-inline-as-string': () => locize(true),
  'ilib-xliff': ilib
}
if (!tools[library]) throw new Error(`unknown library ${library}: one of ${Object.keys(tools).join(', ')}`)
writeFileSync(output, await tools[library]())
