// The condition language of `when` actions: comparisons of templated values, parsed before any value is
// substituted (a value can never change the expression), evaluated without eval.
//
//   condition  := and ('||' and)*
//   and        := unary ('&&' unary)*
//   unary      := '!' unary | operand [operator operand]
//   operator   := '==' | '!=' | 'contains' | 'startsWith'
//   operand    := {{path}} | 'text' | "text" | word
//
// `==` and `!=` compare numbers as numbers when both sides are numbers, text exactly otherwise; `contains` and
// `startsWith` ignore case. Quoted text may hold placeholders. An operand alone is its truthiness: missing,
// null, false, 0, '' and the words false and 0 are false.
import { lookup, renderText, textOf, type TemplateContext } from './template.js';

export class ConditionError extends Error {
  override readonly name = 'ConditionError';
}

type SymbolText = '==' | '!=' | '&&' | '||' | '!';

type Token =
  | { kind: 'path'; path: string }
  | { kind: 'text'; template: string }
  | { kind: 'word'; word: string }
  | { kind: 'symbol'; symbol: SymbolText };

type Operator = '==' | '!=' | 'contains' | 'startsWith';

const WORD_OPERATORS = new Map<string, Operator>([
  ['contains', 'contains'],
  ['startswith', 'startsWith'],
]);

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const rest = source.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    const path = /^\{\{\s*([^{}]*?)\s*\}\}/.exec(rest);
    const quoted = /^(['"])((?:(?!\1)[^\\]|\\.)*)\1/.exec(rest);
    const symbol = /^(==|!=|&&|\|\||!)/.exec(rest);
    if (path) {
      tokens.push({ kind: 'path', path: path[1]! });
      i += path[0].length;
    } else if (quoted) {
      tokens.push({ kind: 'text', template: quoted[2]!.replace(/\\(.)/g, '$1') });
      i += quoted[0].length;
    } else if (symbol) {
      tokens.push({ kind: 'symbol', symbol: symbol[1] as SymbolText });
      i += symbol[0].length;
    } else {
      // Parentheses are refused rather than read as text: a grouping taken literally would mislead.
      const word = /^[^\s'"!=&|{}()]+/.exec(rest);
      if (!word) throw new ConditionError(`cannot read the condition at "${rest.slice(0, 20)}" (no parentheses: && binds before ||)`);
      tokens.push({ kind: 'word', word: word[0] });
      i += word[0].length;
    }
  }
  return tokens;
}

function truthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  return !(typeof value === 'string' && (value.trim() === '' || value === 'false' || value === '0'));
}

function numeric(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const number = Number(text);
  return Number.isFinite(number) ? number : undefined;
}

function compare(left: string, operator: Operator, right: string): boolean {
  switch (operator) {
    case '==':
    case '!=': {
      const [a, b] = [numeric(left), numeric(right)];
      const equal = a !== undefined && b !== undefined ? a === b : left === right;
      return operator === '==' ? equal : !equal;
    }
    case 'contains':
      return left.toLowerCase().includes(right.toLowerCase());
    case 'startsWith':
      return left.toLowerCase().startsWith(right.toLowerCase());
  }
}

class Parser {
  #at = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly context: TemplateContext,
  ) {}

  evaluate(): boolean {
    if (this.tokens.length === 0) throw new ConditionError('the condition is empty');
    const result = this.or();
    const extra = this.tokens[this.#at];
    if (extra) throw new ConditionError(`unexpected ${describe(extra)} in the condition`);
    return result;
  }

  // Both sides are always parsed, so a malformed right side is reported whatever the left side is.
  private or(): boolean {
    let result = this.and();
    while (this.takeSymbol('||')) result = this.and() || result;
    return result;
  }

  private and(): boolean {
    let result = this.unary();
    while (this.takeSymbol('&&')) result = this.unary() && result;
    return result;
  }

  private unary(): boolean {
    if (this.takeSymbol('!')) return !this.unary();
    const left = this.operand();
    const operator = this.operator();
    if (!operator) return truthy(left);
    return compare(textOf(left), operator, textOf(this.operand()));
  }

  private operand(): unknown {
    const token = this.tokens[this.#at++];
    if (!token) throw new ConditionError('the condition ends where a value was expected');
    if (token.kind === 'path') return lookup(this.context, token.path);
    if (token.kind === 'text') return renderText(token.template, this.context);
    if (token.kind === 'word') return token.word;
    throw new ConditionError(`expected a value, not ${describe(token)}`);
  }

  private operator(): Operator | undefined {
    const token = this.tokens[this.#at];
    const operator =
      token?.kind === 'symbol' && (token.symbol === '==' || token.symbol === '!=') ? token.symbol : token?.kind === 'word' ? WORD_OPERATORS.get(token.word.toLowerCase()) : undefined;
    if (operator) this.#at += 1;
    return operator;
  }

  private takeSymbol(symbol: SymbolText): boolean {
    const token = this.tokens[this.#at];
    if (token?.kind !== 'symbol' || token.symbol !== symbol) return false;
    this.#at += 1;
    return true;
  }
}

function describe(token: Token): string {
  if (token.kind === 'symbol') return `"${token.symbol}"`;
  if (token.kind === 'word') return `"${token.word}"`;
  return token.kind === 'path' ? `{{${token.path}}}` : 'text';
}

/**
 * Whether `condition` holds against `context`. JSON booleans and numbers are their own truthiness.
 * @throws ConditionError when the condition cannot be read.
 */
export function evaluateCondition(condition: unknown, context: TemplateContext): boolean {
  if (typeof condition !== 'string') return truthy(condition);
  return new Parser(tokenize(condition), context).evaluate();
}
