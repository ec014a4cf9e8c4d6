// The runner's ports on the gateway's own capabilities: the core send, the message actions, and the session's
// engine for presence.
import { setTimeout as sleep } from 'node:timers/promises';
import type { MessageActions } from '../messages/message-actions.js';
import type { MessageSends } from '../messages/message-sends.js';
import type { SessionAccess } from '../sessions/session-access.js';
import type { ActionPorts } from './runner.js';

export interface CoreCapabilities {
  sends: Pick<MessageSends, 'send'>;
  actions: Pick<MessageActions, 'act'>;
  access: Pick<SessionAccess, 'workingById'>;
}

export function actionPorts({ sends, actions, access }: CoreCapabilities): ActionPorts {
  return {
    send: (command, input) => sends.send(command, input),
    act: (command, action, input) => actions.act(command, action, input),
    async presence(sessionId, state, chat) {
      const { engine } = await access.workingById(sessionId);
      await engine.messages.presence(state, chat);
    },
    sleep: (ms, signal) => sleep(ms, undefined, { signal }),
    now: Date.now
  };
}
