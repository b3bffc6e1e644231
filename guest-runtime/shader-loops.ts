// A bound on loops in guest shaders: every loop body in a shader's source opens with a check of
// one counter per shader invocation, and breaks once the invocation has run `limit` iterations in
// all (every loop it enters counts, nested or called). WebGL2 shaders may loop without a constant
// bound, and nothing preempts a draw on the GPU queue every context shares (here no GPU watchdog
// fires even for a 25 s draw, ../shared/PLATFORM.md): one `while (true)` in a guest shader would
// hold the compositor's frame for ever. With the bound, a draw's cost is at most pixels × limit.
//
// A small scanner, not a GLSL parser: it skips comments and preprocessor lines, finds the loop
// keywords among code tokens, and finds where each loop's body statement ends (a braced block, a
// nested loop, an if/else, a do-while, a switch, or a plain statement up to its `;`). Everything
// it inserts goes on lines that are already there, so compiler messages keep the guest's own line
// numbers. (A GLSL parser such as @shaderfrog/glsl-parser would run on every three.js program in
// every worker, tens of kB of source each, for the same three insertions.)
//
// Not bounded: loops written inside macros (preprocessor lines are left alone), and a shader whose
// first loop comes before any line the counter can be declared on (left as it is).

/** The global counter and the check each loop body opens with (names no guest will clash with). */
const COUNTER = 'steadfast_loop_iterations';
const CHECK = 'steadfast_loop_continues';

interface Token {
  text: string;
  start: number;
  end: number;
}

interface Scan {
  tokens: Token[];
  /** Where the counter can be declared (see `declarationPlace`); -1 if nowhere. */
  declareAt: number;
}

const IDENT = /[A-Za-z_]/;
const WORD = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;
const NUMBER_PART = /[A-Za-z0-9_.]/;

/** A line start outside comments and preprocessor lines: where it is, and what comes before it. */
interface LineStart {
  at: number;
  /** `#if` nesting there. */
  ifDepth: number;
  /** How many code tokens come before it. */
  tokensBefore: number;
}

/** Code tokens (identifiers, numbers, and the punctuation `(){};`), skipping comments and preprocessor lines. */
function scan(source: string): Scan {
  const tokens: Token[] = [];
  const lines: LineStart[] = [{ at: 0, ifDepth: 0, tokensBefore: 0 }];
  let i = 0;
  let lineStart = true;
  let ifDepth = 0;
  let afterPreamble = 0; // the end of the last #version / #extension line
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\n') {
      lineStart = true;
      i += 1;
      lines.push({ at: i, ifDepth, tokensBefore: tokens.length });
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i += 1;
    } else if (c === '/' && source[i + 1] === '/') {
      while (i < source.length && source[i] !== '\n') i += 1;
    } else if (c === '/' && source[i + 1] === '*') {
      // (A line that starts inside a comment is no line start here.)
      const close = source.indexOf('*/', i + 2);
      i = close < 0 ? source.length : close + 2;
      lineStart = false;
    } else if (c === '#' && lineStart) {
      // A preprocessor line, with its backslash continuations: not a place for code.
      if (lines[lines.length - 1]!.tokensBefore === tokens.length) lines.pop();
      let end = i;
      while (end < source.length && !(source[end] === '\n' && source[end - 1] !== '\\')) {
        // (A block comment that opens on the line carries it on to where the comment closes.)
        if (source[end] === '/' && source[end + 1] === '*') end = source.indexOf('*/', end + 2) < 0 ? source.length : source.indexOf('*/', end + 2) + 2;
        else end += 1;
      }
      const directive = /^#\s*(\w+)/.exec(source.slice(i, end))?.[1] ?? '';
      if (directive === 'version' || directive === 'extension') afterPreamble = end;
      else if (directive === 'if' || directive === 'ifdef' || directive === 'ifndef') ifDepth += 1;
      else if (directive === 'endif') ifDepth = Math.max(0, ifDepth - 1);
      i = end;
    } else if (IDENT.test(c)) {
      lineStart = false;
      let end = i + 1;
      while (end < source.length && WORD.test(source[end]!)) end += 1;
      tokens.push({ text: source.slice(i, end), start: i, end });
      i = end;
    } else if (DIGIT.test(c) || (c === '.' && DIGIT.test(source[i + 1] ?? ''))) {
      // A number (1e5, 0x1Fu, 2.0): never mistaken for an identifier.
      lineStart = false;
      let end = i + 1;
      while (end < source.length && NUMBER_PART.test(source[end]!)) end += 1;
      i = end;
    } else {
      lineStart = false;
      if ('(){};'.includes(c)) tokens.push({ text: c, start: i, end: i + 1 });
      i += 1;
    }
  }
  return { tokens, declareAt: declarationPlace(tokens, lines, afterPreamble) };
}

/**
 * The first line start after the `#version`/`#extension` lines, outside any `#if`, at global
 * scope between two declarations (before it: nothing, a `;`, or a function body's `}`).
 */
function declarationPlace(tokens: Token[], lines: LineStart[], afterPreamble: number): number {
  let depth = 0;
  let counted = 0;
  for (const line of lines) {
    for (; counted < line.tokensBefore; counted++) {
      const s = tokens[counted]!.text;
      if (s === '(' || s === '{') depth += 1;
      else if (s === ')' || s === '}') depth -= 1;
    }
    if (line.at < afterPreamble || line.ifDepth !== 0 || depth !== 0) continue;
    const k = line.tokensBefore;
    const prev = tokens[k - 1]?.text;
    if (prev === undefined || prev === ';') return line.at;
    if (prev === '}') {
      const open = openingOf(tokens, k - 1);
      if (tokens[open - 1]?.text === ')') return line.at;
    }
  }
  return -1;
}

/** The index of the `{` that the `}` at `close` closes. */
function openingOf(tokens: Token[], close: number): number {
  let depth = 0;
  for (let j = close; j >= 0; j--) {
    if (tokens[j]!.text === '}') depth += 1;
    else if (tokens[j]!.text === '{' && --depth === 0) return j;
  }
  return 0;
}

/** The index of the token that closes the bracket opened at `open`, or the last token. */
function matching(tokens: Token[], open: number): number {
  const opening = tokens[open]!.text;
  const closing = opening === '(' ? ')' : '}';
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i]!.text === opening) depth += 1;
    else if (tokens[i]!.text === closing && --depth === 0) return i;
  }
  return tokens.length - 1;
}

/** The index of the last token of the statement that starts at token `i`. */
function statementEnd(tokens: Token[], i: number): number {
  const t = tokens[i];
  if (!t) return tokens.length - 1;
  switch (t.text) {
    case '{':
      return matching(tokens, i);
    case 'for':
    case 'while':
      return tokens[i + 1]?.text === '(' ? statementEnd(tokens, matching(tokens, i + 1) + 1) : tokens.length - 1;
    case 'if': {
      if (tokens[i + 1]?.text !== '(') return tokens.length - 1;
      const then = statementEnd(tokens, matching(tokens, i + 1) + 1);
      return tokens[then + 1]?.text === 'else' ? statementEnd(tokens, then + 2) : then;
    }
    case 'do': {
      const body = statementEnd(tokens, i + 1);
      if (tokens[body + 1]?.text !== 'while' || tokens[body + 2]?.text !== '(') return body;
      const close = matching(tokens, body + 2);
      return tokens[close + 1]?.text === ';' ? close + 1 : close;
    }
    case 'switch':
      return tokens[i + 1]?.text === '(' && tokens[matching(tokens, i + 1) + 1]?.text === '{' ? matching(tokens, matching(tokens, i + 1) + 1) : tokens.length - 1;
    default: {
      let depth = 0;
      for (let j = i; j < tokens.length; j++) {
        const s = tokens[j]!.text;
        if (s === '(' || s === '{') depth += 1;
        else if (s === ')' || s === '}') depth -= 1;
        else if (s === ';' && depth <= 0) return j;
      }
      return tokens.length - 1;
    }
  }
}

/**
 * `source` with every loop bounded to `limit` iterations per shader invocation in all; unchanged
 * when it has no loop, or when its first loop comes before the first line the counter fits on.
 */
export function boundShaderLoops(source: string, limit: number): string {
  const { tokens, declareAt } = scan(source);
  const edits: { at: number; text: string }[] = [];
  const check = `if (!${CHECK}()) break;`;
  const bodyAt = (i: number): void => {
    // The body statement starts at token i: open it with the check.
    const body = tokens[i];
    if (!body) return;
    if (body.text === '{') {
      edits.push({ at: body.end, text: ` ${check}` });
    } else {
      edits.push({ at: body.start, text: `{ ${check} ` });
      edits.push({ at: tokens[statementEnd(tokens, i)]!.end, text: ' }' });
    }
  };
  const doTails = new Set<number>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!.text;
    if ((t === 'for' || t === 'while') && tokens[i + 1]?.text === '(' && !doTails.has(i)) {
      bodyAt(matching(tokens, i + 1) + 1);
    } else if (t === 'do') {
      bodyAt(i + 1);
      doTails.add(statementEnd(tokens, i + 1) + 1); // its `while (…);` tail is no loop of its own
    }
  }
  if (edits.length === 0) return source;
  if (declareAt < 0 || edits.some((e) => e.at <= declareAt)) return source;
  // highp where GLSL ES 3.00 promises it in every stage (a `precision lowp int;` above the
  // counter would leave it about ±256); ES 1.00 fragment shaders may lack highp: mediump there.
  const precision = /^\s*#\s*version\s+300\s+es\b/.test(source) ? 'highp' : 'mediump';
  edits.push({ at: declareAt, text: `${precision} int ${COUNTER} = 0; bool ${CHECK}() { ${COUNTER} += 1; return ${COUNTER} <= ${limit}; } ` });
  edits.sort((a, b) => a.at - b.at);
  let out = '';
  let from = 0;
  for (const e of edits) {
    out += source.slice(from, e.at) + e.text;
    from = e.at;
  }
  return out + source.slice(from);
}
