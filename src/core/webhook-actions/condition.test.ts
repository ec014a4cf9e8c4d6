import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConditionError, evaluateCondition } from './condition.js';

const context = { data: { text: 'What is the PRICE?', fromMe: false, count: '3', sender: { pn: '15550002222' }, note: "it's || true" } };
const holds = (cond: unknown) => evaluateCondition(cond, context);

describe('webhook action conditions', () => {
  it('compares templated values', () => {
    assert.equal(holds('{{data.count}} == 3'), true);
    assert.equal(holds('{{data.count}} == 3.0'), true, 'numbers compare as numbers');
    assert.equal(holds("{{data.sender.pn}} == '15550002222'"), true);
    assert.equal(holds('{{data.count}} != 3'), false);
    assert.equal(holds("{{data.text}} contains 'price'"), true, 'contains ignores case');
    assert.equal(holds("{{data.text}} startsWith 'what'"), true);
    assert.equal(holds("{{data.text}} startsWith 'price'"), false);
    assert.equal(holds('"{{data.sender.pn}}@s.whatsapp.net" == 15550002222@s.whatsapp.net'), true, 'quoted text is templated');
  });

  it('reads truthiness, negation, && and ||', () => {
    assert.equal(holds('{{data.text}}'), true);
    assert.equal(holds('{{data.fromMe}}'), false);
    assert.equal(holds('{{data.missing}}'), false);
    assert.equal(holds('!{{data.fromMe}}'), true);
    assert.equal(holds("!{{data.fromMe}} && {{data.text}} contains price"), true);
    assert.equal(holds('{{data.missing}} || {{data.count}} == 3'), true);
    assert.equal(holds('{{data.missing}} || {{data.count}} == 4 && {{data.text}}'), false, '&& binds tighter');
    assert.equal(holds(true), true);
    assert.equal(holds(0), false);
    assert.equal(holds("'false'"), false);
  });

  it('never lets a value change the expression', () => {
    assert.equal(holds('{{data.note}}'), true);
    assert.equal(holds("{{data.note}} == 'x'"), false, "the value \"it's || true\" is one operand");
    assert.equal(holds('{{constructor}} || {{__proto__}}'), false);
  });

  it('refuses what it cannot read', () => {
    for (const cond of ['', '== 3', '{{data.count}} ==', "'unterminated", '{{data.text}} contains', 'a b', '(a)']) {
      assert.throws(() => holds(cond), ConditionError, cond);
    }
  });
});
