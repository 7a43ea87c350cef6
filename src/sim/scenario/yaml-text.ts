// YAML text as kubectl reads it (YAML 1.1 via sigs.k8s.io/yaml and go-yaml v2): `yes`/`no`/`on`/
// `off` are booleans, `0755` is octal, `<<` merges, but timestamps and `1:30` stay strings.
// Syntax problems come back as line-numbered messages, never as exceptions.
import { LineCounter, parseAllDocuments } from 'yaml';
import type { Document, DocumentOptions, ParseOptions, SchemaOptions, Tags } from 'yaml';

/** Most characters one scenario or manifest file may hold. */
export const yamlTextLengthMax = 10_000_000;

export interface YamlProblem {
  line: number;
  message: string;
}

export interface YamlText {
  documents: Document.Parsed[];
  /** 1-based line of a character offset. */
  lineOf(offset: number): number;
  problems: YamlProblem[];
}

/** go-yaml v2 keeps timestamps and sexagesimal numbers as strings when decoding to JSON. */
function withoutTimeTags(tags: Tags): Tags {
  return tags.filter((tag) => {
    if (typeof tag !== 'object') return true;
    return tag.tag !== 'tag:yaml.org,2002:timestamp' && tag.format !== 'TIME';
  });
}

export const kubectlYamlOptions: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  merge: true,
  // Duplicate keys are reported by the decoder, with their field path.
  uniqueKeys: false,
  customTags: withoutTimeTags,
};

/** The first line of a yaml-library message, without its `at line L, column C` tail. */
function problemText(message: string): string {
  const first = message.split('\n')[0] ?? message;
  const bare = first.replace(/ at line \d+, column \d+:?$/, '');
  return bare.length > 0 ? bare[0]?.toLowerCase() + bare.slice(1) : 'syntax error';
}

/** Parses every document of `text`; a document's first syntax error or warning is a problem. */
export function readYamlText(text: string): YamlText {
  const counter = new LineCounter();
  const lineOf = (offset: number) => counter.linePos(offset).line;
  if (text.length > yamlTextLengthMax) {
    return {
      documents: [],
      lineOf,
      problems: [{ line: 1, message: `file is too large (over ${yamlTextLengthMax} characters)` }],
    };
  }
  const documents = parseAllDocuments(text, { ...kubectlYamlOptions, lineCounter: counter });
  const list = Array.isArray(documents) ? documents : [];
  const problems: YamlProblem[] = [];
  // The first problem of each document: later ones are mostly its consequences.
  for (const document of list) {
    const problem = document.errors[0] ?? document.warnings[0];
    if (problem === undefined) continue;
    const line = problem.linePos?.[0].line ?? lineOf(problem.pos[0]);
    problems.push({ line, message: `invalid YAML: ${problemText(problem.message)}` });
  }
  return { documents: list, lineOf, problems };
}
