// `npm run bench [-- suite…]`: runs the named benchmark suites (all when none is named) and prints their
// figures, each as a ratio against a baseline measured in the same run.
const suites: Record<string, () => Promise<{ run(): Promise<void> }>> = {
  sandbox: () => import('./sandbox.js'),
  gateway: () => import('./gateway.js'),
  groups: () => import('./groups.js'),
  invites: () => import('./invites.js'),
  reliability: () => import('./reliability.js'),
  messages: () => import('./messages.js'),
  chats: () => import('./chats.js'),
  store: () => import('./store.js'),
  webhooks: () => import('./webhooks.js')
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((name) => !suites[name]);
if (unknown.length) {
  console.error(`unknown suite(s): ${unknown.join(', ')}; available: ${Object.keys(suites).join(', ')}`);
  process.exit(2);
}
for (const name of wanted.length ? wanted : Object.keys(suites)) {
  console.log(`\n## ${name}`);
  await (await suites[name]!()).run();
}
process.exit(0);
