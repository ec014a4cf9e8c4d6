// A small valid PNG (16×16, one colour) for profile pictures and media messages in tests.
export const SMALL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAGUlEQVQokWM4IWdDEmIY1SA3GkonhmvSAAC5FCIQ+nyLGgAAAABJRU5ErkJggg==',
  'base64'
);
