// A profile picture as WhatsApp keeps it: a square JPEG, 640 px a side (what WhatsApp's own clients upload),
// cropped to the centre, upright (EXIF), transparency on white. Anything sharp cannot decode is a 415.
import { encodeImage, openImage, WHITE } from '../media/image-tools.js';

export const PROFILE_PICTURE_SIDE = 640;

export async function profilePictureJpeg(bytes: Buffer): Promise<Buffer> {
  const { image } = await openImage(bytes, false);
  const { data } = await encodeImage(
    image
      .autoOrient()
      .resize(PROFILE_PICTURE_SIDE, PROFILE_PICTURE_SIDE, { fit: 'cover', position: 'centre' })
      .flatten({ background: WHITE })
      .jpeg({ quality: 85 })
  );
  return data;
}
