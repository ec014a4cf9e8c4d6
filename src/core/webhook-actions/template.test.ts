import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lookup, renderDeep, renderText } from './template.js';

const context = {
  data: { sender: { pn: '15550002222@s.whatsapp.net' }, messageId: 'ABC', text: 'hi', mentions: ['1@s.whatsapp.net', '2@s.whatsapp.net'], count: 3, flag: false, empty: null },
  customer: { name: 'Ada' }
};

describe('webhook action templates', () => {
  it('renders dotted and indexed paths, values as text', () => {
    assert.equal(renderText('to {{data.sender.pn}} re {{ data.messageId }}: {{data.text}}', context), 'to 15550002222@s.whatsapp.net re ABC: hi');
    assert.equal(renderText('{{data.mentions.1}} {{data.mentions[0]}}', context), '2@s.whatsapp.net 1@s.whatsapp.net');
    assert.equal(renderText('{{data.count}} {{data.flag}} [{{data.empty}}]', context), '3 false []');
    assert.equal(renderText('{{customer}}', context), '{"name":"Ada"}');
  });

  it('renders unknown paths as empty text', () => {
    assert.equal(renderText('[{{data.nope.deeper}}][{{}}][{{data..text}}][{{data.text.length}}]', context), '[][][][]');
  });

  it('never reaches prototypes', () => {
    for (const path of ['__proto__', 'constructor', 'data.constructor.name', 'data.__proto__', 'customer.toString', 'data.text.constructor', 'prototype']) {
      assert.equal(lookup(context, path), undefined, path);
      assert.equal(renderText(`{{${path}}}`, context), '', path);
    }
    const polluted = JSON.parse('{"__proto__": {"x": 1}}') as Record<string, unknown>;
    assert.equal(renderText('{{__proto__.x}}', polluted), '');
  });

  it('renders every string of nested JSON, keeping other values and own keys only', () => {
    const rendered = renderDeep(JSON.parse('{"text":"hi {{customer.name}}","n":2,"list":["{{data.text}}",true],"__proto__":{"a":"{{data.text}}"}}'), context) as Record<string, unknown>;
    assert.deepEqual({ ...rendered }, { text: 'hi Ada', n: 2, list: ['hi', true], ['__proto__']: { a: 'hi' } });
    assert.equal(Object.getPrototypeOf(rendered), Object.prototype);
    assert.equal(({} as Record<string, unknown>).a, undefined);
  });
});
