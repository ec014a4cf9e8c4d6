// Groups of a session: members and roles, the current invite link (copy, QR), revoke with the chatter guard's
// answer (a 429 becomes a countdown), the lineage of every code, and the invite policy editor.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, first } from '../api';
import { useLiveEvents } from '../live';
import { navigate } from '../router';
import { phoneOf, useSessions } from '../sessions-api';
import { Field, LoadError, Notice, Section, Table, TextInput, Time, useAction, useLoad } from '../ui';
import { PolicyEditor } from './policy';

interface GroupItem {
  id: string;
  subject: string;
  participantsCount: number;
  announce: boolean;
  restrict: boolean;
  joinApprovalMode: boolean;
}

const GROUP_EVENTS = new Set(['group_update', 'group_participants', 'group_join', 'group_leave', 'group_join_request', 'group_invite_policy']);

export function GroupsPage({ sessionId, groupId }: { sessionId: string | null; groupId: string | null }) {
  const sessions = useSessions();
  const working = (sessions.data ?? []).filter((session) => session.status === 'WORKING');
  const chosen = sessionId ?? working[0]?.id ?? null;
  return (
    <>
      <h1>Groups</h1>
      <Section title="Session" id="group-session">
        <LoadError error={sessions.error} />
        <Field label="Session">
          <select value={chosen ?? ''} onChange={(event) => navigate(`/groups/${encodeURIComponent(event.currentTarget.value)}`)} name="session">
            {working.map((session) => (
              <option key={session.id} value={session.id}>{session.id} ({phoneOf(session.me?.id)})</option>
            ))}
          </select>
        </Field>
        {sessions.data && working.length === 0 ? <p>No session is WORKING: link one on the Sessions page.</p> : null}
      </Section>
      {chosen ? <SessionGroups key={chosen} sessionId={chosen} groupId={groupId} /> : null}
    </>
  );
}

function SessionGroups({ sessionId, groupId }: { sessionId: string; groupId: string | null }) {
  const groups = useLoad(async () => (await first<{ data: GroupItem[] }>('GET', '/groups', { query: { sessionId } })).data, [sessionId]);
  useLiveEvents((event) => {
    if (event.data.sessionId === sessionId && GROUP_EVENTS.has(event.event)) groups.reload();
  }, [sessionId]);
  const open = (id: string) => navigate(`/groups/${encodeURIComponent(sessionId)}/${encodeURIComponent(id)}`);
  const selected = groups.data?.find((group) => group.id === groupId);
  return (
    <>
      <CreateGroup sessionId={sessionId} onCreated={(id) => (groups.reload(), open(id))} />
      <Section title="Groups" id="groups">
        <LoadError error={groups.error} />
        <Table caption="Groups">
          <thead>
            <tr><th scope="col">Name</th><th scope="col">Members</th><th scope="col">Settings</th><th scope="col"><span class="visually-hidden">Open</span></th></tr>
          </thead>
          <tbody>
            {(groups.data ?? []).map((group) => (
              <tr key={group.id} aria-current={group.id === groupId ? 'true' : undefined}>
                <th scope="row" class="group-name">{group.subject}</th>
                <td>{group.participantsCount}</td>
                <td>{[group.announce && 'announcements', group.restrict && 'locked', group.joinApprovalMode && 'approval'].filter(Boolean).join(', ') || '—'}</td>
                <td><button type="button" onClick={() => open(group.id)} aria-label={`Open ${group.subject}`}>Open</button></td>
              </tr>
            ))}
          </tbody>
        </Table>
        {groups.data?.length === 0 ? <p>This number is in no group yet.</p> : null}
      </Section>
      {selected ? <GroupDetail key={selected.id} sessionId={sessionId} group={selected} /> : null}
    </>
  );
}

function CreateGroup({ sessionId, onCreated }: { sessionId: string; onCreated(groupId: string): void }) {
  const [groupName, setName] = useState('');
  const [participants, setParticipants] = useState('');
  const action = useAction();
  const submit = action.submit(async () => {
    const list = participants.split(',').map((entry) => entry.trim()).filter(Boolean);
    const created = await first<{ groupId: string }>('POST', '/group/create', { body: { sessionId, groupName, participants: list } });
    setName('');
    onCreated(created.groupId);
    return `Group ${groupName} created`;
  });
  return (
    <Section title="Create a group" id="create-group">
      <form class="inline" onSubmit={submit}>
        <Field label="Group name">
          <TextInput value={groupName} onInput={setName} required maxLength={100} name="groupName" />
        </Field>
        <Field label="Members" hint="comma-separated phone numbers">
          <TextInput value={participants} onInput={setParticipants} name="participants" />
        </Field>
        <button type="submit" disabled={action.busy}>Create group</button>
      </form>
      <Notice outcome={action.outcome} />
    </Section>
  );
}

interface Participant { id: string; phone: string | null; isMe: boolean; isAdmin: boolean; isSuperAdmin: boolean }
interface Invite { inviteLink: string; code: string }
interface Join { jid: string; at: string; method: string }
interface Revoker { kind: string; id?: string; name?: string; jid?: string }
interface CodeRecord { code: string; firstSeenAt: string; seenVia: string; revokedAt: string | null; revokedBy: Revoker | null; joins: Join[] }
interface History { currentCode: string | null; codes: CodeRecord[]; unattributedJoins: Join[] }

function GroupDetail({ sessionId, group }: { sessionId: string; group: GroupItem }) {
  const query = { sessionId, groupId: group.id };
  const members = useLoad(async () => (await first<{ participants: Participant[] }>('GET', '/group/participants', { query })).participants, [group.id]);
  const history = useLoad(() => first<History>('GET', '/group/invite/history', { query }), [group.id]);
  const me = members.data?.find((member) => member.isMe);
  useLiveEvents((event) => {
    if (event.data.sessionId !== sessionId || event.data.groupId !== group.id) return;
    members.reload();
    history.reload();
  }, [group.id]);
  return (
    <>
      <h2 class="group-title">{group.subject}</h2>
      <Section title="Members" id="members">
        <LoadError error={members.error} />
        <Table caption="Members">
          <thead><tr><th scope="col">Number</th><th scope="col">Role</th></tr></thead>
          <tbody>
            {(members.data ?? []).map((member) => (
              <tr key={member.id}>
                <td>{member.phone ?? member.id}{member.isMe ? ' (this session)' : ''}</td>
                <td>{member.isSuperAdmin ? 'owner' : member.isAdmin ? 'admin' : 'member'}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Section>
      {me && !me.isAdmin ? <p class="notice">This number is not an admin here: the invite link and policies need an admin.</p> : null}
      {me?.isAdmin ? <InviteLink sessionId={sessionId} groupId={group.id} onCodeChanged={history.reload} /> : null}
      <Section title="Invite link lineage" id="lineage">
        <LoadError error={history.error} />
        {history.data ? <Lineage history={history.data} /> : null}
      </Section>
      {me?.isAdmin ? <PolicyEditor sessionId={sessionId} groupId={group.id} /> : null}
    </>
  );
}

/** `onCodeChanged`: reading the link records its code in the lineage, and so does a revoke. */
function InviteLink({ sessionId, groupId, onCodeChanged }: { sessionId: string; groupId: string; onCodeChanged(): void }) {
  const invite = useLoad(() => first<Invite>('GET', '/group/invite', { query: { sessionId, groupId } }), [groupId]);
  useEffect(() => {
    if (invite.data) onCodeChanged();
  }, [invite.data?.code]);
  const qr = useLoad(
    async () => (invite.data ? (await first<{ data: string }>('POST', '/misc/convert-string-toqr/dataurl', { body: { string: invite.data.inviteLink } })).data : null),
    [invite.data?.inviteLink],
  );
  const [waitUntil, setWaitUntil] = useState<number | null>(null);
  const action = useAction();
  const revoke = () =>
    void action.run(async () => {
      try {
        const revoked = await first<{ code: string }>('POST', '/group/invite/revoke', { body: { sessionId, groupId } });
        invite.reload();
        return `Revoked: the new code is ${revoked.code}`;
      } catch (failure) {
        if (failure instanceof ApiError && failure.status === 429 && failure.retryAfterSeconds) setWaitUntil(Date.now() + failure.retryAfterSeconds * 1000);
        throw failure;
      }
    });
  return (
    <Section title="Invite link" id="invite">
      <LoadError error={invite.error} />
      {invite.data ? (
        <div class="link-grid">
          <div>
            <p><a href={invite.data.inviteLink} rel="noreferrer noopener" target="_blank" class="invite-link">{invite.data.inviteLink}</a></p>
            <div class="buttons">
              <button type="button" onClick={() => void navigator.clipboard?.writeText(invite.data!.inviteLink).then(() => action.setOutcome({ kind: 'ok', text: 'Link copied' }))}>Copy link</button>
              <button type="button" class="danger" disabled={action.busy || waitUntil !== null} onClick={revoke}>Revoke link</button>
            </div>
            {waitUntil !== null ? <Countdown until={waitUntil} onDone={() => setWaitUntil(null)} /> : null}
            <Notice outcome={action.outcome} />
          </div>
          {qr.data ? <img class="qr" src={qr.data} alt="QR code of the invite link" width={192} height={192} /> : null}
        </div>
      ) : null}
    </Section>
  );
}

/** The chatter guard's wait, counted down to the second. */
function Countdown({ until, onDone }: { until: number; onDone(): void }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = Math.ceil((until - now) / 1000);
  useEffect(() => {
    if (left <= 0) onDone();
  }, [left <= 0]);
  return <p class="countdown" role="timer" aria-live="off">Revoke again in <strong>{Math.max(left, 0)} s</strong> (the chatter guard allows one revoke per interval)</p>;
}

function revokerText(revoker: Revoker | null): string {
  if (!revoker) return 'unknown';
  if (revoker.kind === 'api_key') return `API key ${revoker.name ?? revoker.id ?? ''}`;
  if (revoker.kind === 'session_token') return `session token of ${revoker.id ?? ''}`;
  if (revoker.kind === 'policy') return `policy rule ${revoker.id ?? ''}`;
  if (revoker.kind === 'phone') return `a phone (${phoneOf(revoker.jid)})`;
  return revoker.kind;
}

function Lineage({ history }: { history: History }) {
  if (!history.codes.length) return <p>No code recorded yet: reading the link records the current one.</p>;
  return (
    <ol class="timeline" aria-label="Invite codes, oldest first">
      {history.codes.map((code) => (
        <li key={code.code} class={code.revokedAt ? 'revoked' : 'current'}>
          <p><code>{code.code}</code> {code.revokedAt ? null : <span class="badge good">current</span>}</p>
          <p class="muted">created <Time at={code.firstSeenAt} /> via {code.seenVia}</p>
          {code.revokedAt ? <p class="muted">revoked <Time at={code.revokedAt} /> by {revokerText(code.revokedBy)}</p> : null}
          {code.joins.length ? (
            <ul aria-label={`Joins through ${code.code}`}>
              {code.joins.map((join) => <li key={join.jid + join.at}>{phoneOf(join.jid)} joined <Time at={join.at} /> ({join.method})</li>)}
            </ul>
          ) : <p class="muted">no joins through it</p>}
        </li>
      ))}
      {history.unattributedJoins.length ? <li>Joins without a known code: {history.unattributedJoins.map((join) => phoneOf(join.jid)).join(', ')}</li> : null}
    </ol>
  );
}
