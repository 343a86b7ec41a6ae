// An example host page for pinscope's embed mode. Everything here is what a real host needs: frame the embed,
// say hello, send commands, and listen for what it says (only messages from that frame, with `pinscope: 1`).
//
// Query parameters of this page, for trying things out:
//   embed=<url>   the embed to frame (default: this site, the zero-page library scenario, memory and graph views)
//   keys=host     pass keys to this page instead of stepping (what a slide deck wants)

const params = new URLSearchParams(location.search);
const frame = document.getElementById('embed');
const log = document.getElementById('log');
const defaultEmbed = new URL(`./?mode=embed&scenario=library/dio-write-zero-page&views=memory,graph${params.get('keys') ? `&keys=${encodeURIComponent(params.get('keys'))}` : ''}`, location.href);
const embedUrl = new URL(params.get('embed') ?? defaultEmbed.href, location.href);
/** The embed's origin: commands go only there, and only its messages are read. */
const embedOrigin = embedUrl.origin;

/** Every message the embed sent, newest last (read by the end-to-end tests as well). */
window.pinscopeMessages = [];

function send(message) {
  frame.contentWindow.postMessage({ pinscope: 1, ...message }, embedOrigin);
}
window.pinscopeSend = send;

window.addEventListener('message', (e) => {
  if (e.source !== frame.contentWindow || e.origin !== embedOrigin) return;
  if (typeof e.data !== 'object' || e.data === null || e.data.pinscope !== 1) return;
  window.pinscopeMessages.push(e.data);
  log.textContent += `${JSON.stringify(e.data)}\n`;
  if (e.data.type === 'ready') document.getElementById('step').max = String(e.data.steps);
});

for (const button of document.querySelectorAll('[data-send]')) button.addEventListener('click', () => send({ type: button.dataset.send }));
document.getElementById('goto').addEventListener('click', () => send({ type: 'goto', step: Number(document.getElementById('step').value) }));
document.getElementById('load').addEventListener('click', () =>
  send({ type: 'load', text: 'title Two reads\nmmap buf 8K\nread buf\nwrite buf\n', kernel: 'v6.5' }),
);

// A host that loads after the embed has sent `ready` says hello and gets `ready` again.
frame.addEventListener('load', () => send({ type: 'hello' }));
frame.src = embedUrl.href;
document.getElementById('notes').focus();
