/** @type {import('@baton/cli').BatonConfig} */
export default {
  store: { type: 'fs', dir: '.baton-cli' },
  registry: {
    greet: () => 'hello from a tarball',
    shout: (text) => `${String(text).toUpperCase()}!`,
  },
};
