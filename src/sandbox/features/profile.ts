// Profile data: the about text (`xmlns="status"` set; read through usync), profile pictures of accounts and
// groups (`w:profile:picture`, served from the media host) and business profiles (`w:biz`).
import { isJidGroup, type BinaryNode } from 'baileys';
import type { SandboxNetwork } from '../network.js';
import { IqFailure, type StanzaRouter } from '../router.js';
import { child, childrenNamed, contentBytes, contentText, node } from '../stanza.js';
import type { Account } from '../world/accounts.js';
import { mediaHostOf } from '../routing/media.js';
import { changePicture } from './groups-settings.js';
import { groupOp } from './groups-rules.js';

type Picture = { id: string; jpeg: Buffer };

/** Where each picture was published on the media host; published once, on first request. */
const published = new WeakMap<Picture, { url: string; directPath: string }>();

function publishedAt(network: SandboxNetwork, picture: Picture) {
  let location = published.get(picture);
  if (!location) {
    location = mediaHostOf(network).put('profile-picture', picture.jpeg);
    published.set(picture, location);
  }
  return location;
}

function pictureOf(network: SandboxNetwork, target: string): Picture | undefined {
  if (isJidGroup(target)) return network.groups.get(target)?.picture;
  return network.accounts.resolve(target)?.account.picture;
}

/** Hidden from everyone but its owner when the owner's `profile` privacy is `none` (the sandbox keeps no address books, so `contacts` shows it). */
function hiddenFrom(network: SandboxNetwork, requester: Account, target: string): boolean {
  if (isJidGroup(target)) return false;
  const owner = network.accounts.resolve(target)?.account;
  return !!owner && owner !== requester && owner.privacy.get('profile') === 'none';
}

function getPicture(network: SandboxNetwork, account: Account, iq: BinaryNode): BinaryNode[] {
  const target = iq.attrs.target ?? account.pnJid;
  if (hiddenFrom(network, account, target)) throw new IqFailure(401, 'not-authorized');
  const picture = pictureOf(network, target);
  if (!picture) throw new IqFailure(404, 'item-not-found');
  const { url, directPath } = publishedAt(network, picture);
  return [node('picture', { id: picture.id, type: child(iq, 'picture')?.attrs.type ?? 'image', url, direct_path: directPath })];
}

/** Sets (jpeg) or removes (none) the sender's own picture, or a group's when `target` is a group. */
function setPicture(network: SandboxNetwork, account: Account, target: string | undefined, jpeg: Buffer | undefined): void {
  if (target && isJidGroup(target)) {
    changePicture(groupOp(network, target, account), jpeg);
    return;
  }
  if (target && network.accounts.resolve(target)?.account !== account) throw new IqFailure(403, 'forbidden');
  if (jpeg) account.picture = { id: String(Date.now()), jpeg };
  else delete account.picture;
}

function businessNode(account: Account): BinaryNode {
  const business = account.business!;
  const text = (tag: string, value: string | undefined) => (value ? [node(tag, {}, value)] : []);
  return node('profile', { jid: account.pnJid }, [
    node('description', {}, business.description),
    ...text('email', business.email),
    ...text('address', business.address),
    ...(business.website ?? []).map((site) => node('website', {}, site)),
    ...(business.category ? [node('categories', {}, [node('category', { id: '1' }, business.category)])] : [])
  ]);
}

function updateBusiness(account: Account, request: BinaryNode | undefined): void {
  const field = (tag: string) => contentText(child(request, tag));
  const websites = childrenNamed(request, 'website').map(contentText).filter((site): site is string => !!site);
  const current = account.business ?? { description: '' };
  account.business = {
    ...current,
    description: field('description') ?? current.description,
    ...(field('email') !== undefined ? { email: field('email') } : {}),
    ...(field('address') !== undefined ? { address: field('address') } : {}),
    ...(websites.length ? { website: websites } : {})
  };
}

export function profileFeature(router: StanzaRouter): void {
  router
    .iq('status:status', ({ account }, iq) => {
      account.about = contentText(child(iq, 'status')) ?? '';
      account.aboutSetAt = Math.floor(Date.now() / 1000);
    })
    .iq('w:profile:picture:picture', ({ network, account }, iq) => {
      if (iq.attrs.type === 'get') return getPicture(network, account, iq);
      const jpeg = contentBytes(child(iq, 'picture'));
      if (!jpeg?.length) throw new IqFailure(400, 'bad-request');
      setPicture(network, account, iq.attrs.target, jpeg);
      return undefined;
    })
    // A `w:profile:picture` set without a `<picture>` removes the picture.
    .iq('w:profile:picture', ({ network, account }, iq) => setPicture(network, account, iq.attrs.target, undefined))
    .iq('w:biz:business_profile', ({ network, account }, iq) => {
      const request = child(iq, 'business_profile');
      if (iq.attrs.type === 'set') {
        updateBusiness(account, request);
        return undefined;
      }
      const profiles = childrenNamed(request, 'profile').flatMap((profile) => {
        const target = network.accounts.resolve(profile.attrs.jid ?? '')?.account;
        return target?.business ? [businessNode(target)] : [];
      });
      return [node('business_profile', {}, profiles)];
    });
}
