/**
 * The string syntax of label selectors (`labelSelector=` query parameter, `kubectl -l`):
 *
 *   selector    := requirement ("," requirement)*
 *   requirement := ["!"] KEY [ ("in" | "notin") "(" VALUE ("," VALUE)* ")"
 *                            | ("=" | "==" | "!=" | ">" | "<") VALUE ]
 *
 * Whitespace (space, tab, CR, LF) separates tokens. A bare KEY means "exists",
 * `!KEY` "does not exist"; `in`/`notin` are keywords only in operator position.
 * Errors carry upstream apimachinery's exact wording.
 */
import { StatusError, badRequest } from '../status.js';
import { type LabelOperator, type LabelRequirement, labelKeyProblem, newLabelRequirement } from './labelRequirement.js';

type TokenKind =
  | 'error'
  | 'end'
  | ')'
  | ','
  | '!'
  | '=='
  | '='
  | '>'
  | 'identifier'
  | 'in'
  | '<'
  | '!='
  | 'notin'
  | '(';

interface Token {
  kind: TokenKind;
  text: string;
}

/** Literal spellings of every token but identifiers, end and errors. */
const LITERALS: ReadonlyMap<string, TokenKind> = new Map<string, TokenKind>([
  [')', ')'],
  [',', ','],
  ['!', '!'],
  ['==', '=='],
  ['=', '='],
  ['>', '>'],
  ['in', 'in'],
  ['<', '<'],
  ['!=', '!='],
  ['notin', 'notin'],
  ['(', '('],
]);

/** Operators a key may be followed by, in upstream's order, as its error message lists them. */
const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';

const isWhitespace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSymbol = (ch: string): boolean => '=!(),><'.includes(ch);

/** Splits selector text into tokens, ending with one `end` token. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  for (;;) {
    while (pos < text.length && isWhitespace(text.charAt(pos))) pos++;
    if (pos >= text.length) {
      tokens.push({ kind: 'end', text: '' });
      return tokens;
    }
    const start = pos;
    if (isSymbol(text.charAt(pos))) {
      // Longest run of symbols that still spells a token; stop at the first that does not.
      let best: Token | undefined;
      let bestEnd = pos;
      while (pos < text.length && isSymbol(text.charAt(pos))) {
        const candidate = text.slice(start, pos + 1);
        const kind = LITERALS.get(candidate);
        if (kind !== undefined) {
          best = { kind, text: candidate };
          bestEnd = pos + 1;
        } else if (best !== undefined) {
          break;
        }
        pos++;
      }
      if (best === undefined) {
        tokens.push({ kind: 'error', text: `error expected: keyword found '${text.slice(start, pos)}'` });
      } else {
        tokens.push(best);
        pos = bestEnd;
      }
      continue;
    }
    while (pos < text.length && !isSymbol(text.charAt(pos)) && !isWhitespace(text.charAt(pos))) pos++;
    const word = text.slice(start, pos);
    const keyword = LITERALS.get(word);
    tokens.push({ kind: keyword ?? 'identifier', text: word });
  }
}

/** Where a token is read: in value position the keywords `in`/`notin` are plain identifiers. */
type Context = 'keyAndOperator' | 'values';

/** A recursive-descent parser over the token list. */
class Parser {
  private position = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  private view(token: Token, context: Context): Token {
    if (context === 'values' && (token.kind === 'in' || token.kind === 'notin')) {
      return { kind: 'identifier', text: token.text };
    }
    return token;
  }

  private lookahead(context: Context): Token {
    return this.view(this.tokens[this.position] ?? { kind: 'end', text: '' }, context);
  }

  private consume(context: Context): Token {
    const token = this.lookahead(context);
    this.position++;
    return token;
  }

  /** The whole selector: comma-separated requirements. */
  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    for (;;) {
      const next = this.lookahead('values');
      if (next.kind === 'end') return requirements;
      if (next.kind !== 'identifier' && next.kind !== '!') {
        throw new Error(`found '${next.text}', expected: !, identifier, or 'end of string'`);
      }
      try {
        requirements.push(this.requirement());
      } catch (err) {
        throw new Error(`unable to parse requirement: ${err instanceof Error ? err.message : String(err)}`);
      }
      const after = this.consume('values');
      if (after.kind === 'end') return requirements;
      if (after.kind !== ',') throw new Error(`found '${after.text}', expected: ',' or 'end of string'`);
      const following = this.lookahead('values');
      if (following.kind !== 'identifier' && following.kind !== '!') {
        throw new Error(`found '${following.text}', expected: identifier after ','`);
      }
    }
  }

  private requirement(): LabelRequirement {
    let negated = false;
    let token = this.consume('values');
    if (token.kind === '!') {
      negated = true;
      token = this.consume('values');
    }
    if (token.kind !== 'identifier') throw new Error(`found '${token.text}', expected: identifier`);
    const key = token.text;
    const keyProblem = labelKeyProblem(key);
    if (keyProblem !== undefined) throw new Error(keyProblem);
    const next = this.lookahead('values').kind;
    if (negated || next === 'end' || next === ',') {
      return newLabelRequirement(key, negated ? '!' : 'exists', []);
    }
    const operator = this.operator();
    const values = operator === 'in' || operator === 'notin' ? this.valueSet() : this.exactValue();
    return newLabelRequirement(key, operator, [...values].sort());
  }

  private operator(): LabelOperator {
    const token = this.consume('keyAndOperator');
    switch (token.kind) {
      case 'in':
        return 'in';
      case 'notin':
        return 'notin';
      case '=':
        return '=';
      case '==':
        return '==';
      case '!=':
        return '!=';
      case '>':
        return 'gt';
      case '<':
        return 'lt';
      default:
        throw new Error(`found '${token.text}', expected: ${BINARY_OPERATORS}`);
    }
  }

  /** `( v1, v2, … )`; empty items and `()` stand for the empty value. */
  private valueSet(): Set<string> {
    const open = this.consume('values');
    if (open.kind !== '(') throw new Error(`found '${open.text}' expected: '('`);
    const first = this.lookahead('values');
    if (first.kind === ')') {
      this.consume('values');
      return new Set(['']);
    }
    if (first.kind !== 'identifier' && first.kind !== ',') {
      throw new Error(`found '${first.text}', expected: ',', ')' or identifier`);
    }
    const values = new Set<string>();
    for (;;) {
      const token = this.consume('values');
      if (token.kind === 'identifier') {
        values.add(token.text);
        const after = this.lookahead('values');
        if (after.kind === ')') break;
        if (after.kind !== ',') throw new Error(`found '${after.text}', expected: ',' or ')'`);
      } else if (token.kind === ',') {
        if (values.size === 0) values.add('');
        const after = this.lookahead('values').kind;
        if (after === ')') {
          values.add('');
          break;
        }
        if (after === ',') values.add('');
      } else {
        throw new Error(`found '${token.text}', expected: ',', or identifier`);
      }
    }
    this.consume('values');
    return values;
  }

  /** The single value after `=`, `==`, `!=`, `>` or `<`; nothing means the empty value. */
  private exactValue(): Set<string> {
    const next = this.lookahead('values');
    if (next.kind === 'end' || next.kind === ',') return new Set(['']);
    const token = this.consume('values');
    if (token.kind !== 'identifier') throw new Error(`found '${token.text}', expected: identifier`);
    return new Set([token.text]);
  }
}

/**
 * Parses selector text into requirements, stably sorted by key.
 * Throws a 400 BadRequest StatusError with upstream's message on bad input.
 */
export function parseLabelRequirements(text: string): LabelRequirement[] {
  let requirements: LabelRequirement[];
  try {
    requirements = new Parser(tokenize(text)).parse();
  } catch (err) {
    if (err instanceof StatusError) throw err;
    throw badRequest(err instanceof Error ? err.message : String(err));
  }
  return requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
