// A group's picture: read, set (data URI or http(s) URL, up to 5 MB), remove. The set route accepts a body
// with room for a base64 image half again over the limit, whatever the general body limit, so an oversized
// picture gets the picture's own 413 message rather than the body's.
import type { FastifyInstance } from 'fastify';
import { parsePictureSource, PICTURE_MAX_BYTES } from '../../core/groups/picture-input.js';
import { groupCommand } from '../commands.js';
import { actionRoute } from '../route-table.js';
import { pictureRemovedView, pictureSetView, pictureView } from '../views/warest/groups.js';
import { answer } from '../views/warest/outcome.js';
import { fields, GROUP_FIELDS, requiredText, TEXT, type GroupRoutesContext } from './groups-http.js';

const PICTURE_BODY_LIMIT = Math.ceil((PICTURE_MAX_BYTES * 1.5) / 3) * 4 + 64 * 1024;

export function registerGroupPictureRoutes(app: FastifyInstance, { groups }: GroupRoutesContext): void {
  app.route(
    actionRoute('getGroupPicture', {
      schema: { querystring: fields(GROUP_FIELDS) },
      handler: async (request, reply) => answer(reply, pictureView(await groups.picture(groupCommand(request))))
    })
  );

  app.route(
    actionRoute('setGroupPicture', {
      bodyLimit: PICTURE_BODY_LIMIT,
      schema: {
        body: fields({
          ...GROUP_FIELDS,
          picture: { type: 'string', description: 'data:image/…;base64,… or an http(s) URL (not a file path), at most 5 MB; aliases image, photo, avatar' },
          image: TEXT,
          photo: TEXT,
          avatar: TEXT
        })
      },
      handler: async (request, reply) => {
        const source = parsePictureSource(requiredText(request, ['picture', 'image', 'photo', 'avatar'], 'a data URI (data:image/jpeg;base64,…) or an http(s) URL'));
        return answer(reply, pictureSetView(await groups.setPicture(groupCommand(request), source)));
      }
    })
  );

  app.route(
    actionRoute('deleteGroupPicture', {
      schema: { body: fields(GROUP_FIELDS) },
      handler: async (request, reply) => answer(reply, pictureRemovedView(await groups.removePicture(groupCommand(request))))
    })
  );
}
