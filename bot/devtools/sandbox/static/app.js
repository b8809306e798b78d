// The sandbox page: pick a persona, see their WeCom conversation, act as them.
import { api, ConversationFeed } from "./api.js";
import { Composer } from "./composer.js";
import { avatar, el, formatTime, renderItem } from "./render.js";

const $ = (id) => document.getElementById(id);
const STAMP_GAP_MS = 5 * 60 * 1000; // WeCom shows a time between messages further apart

const state = {
  setup: null,
  persona: null,
  counts: {}, // messages each persona has received
  seen: {}, // how many of them were on screen when that persona was last viewed
  nodes: new Map(), // item id -> {sig, node}: unchanged messages keep their DOM node
  picks: new Map(), // "task#version" -> {question: option} chosen in pick lists
  audio: null,
};

let toastTimer = 0;
function toast(message) {
  const node = $("toast");
  node.textContent = message;
  node.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { node.hidden = true; }, 4000);
}

function banner(message, actionText, action, kind) {
  const node = $("banner");
  node.replaceChildren(el("span", "", message));
  node.dataset.kind = kind || "";
  if (actionText) {
    const button = el("button", "", actionText);
    button.type = "button";
    button.addEventListener("click", action);
    node.append(button);
  }
  const close = el("button", "", "知道了");
  close.type = "button";
  close.addEventListener("click", () => { node.hidden = true; });
  node.append(close);
  node.hidden = false;
}

function micProblem(message) {
  banner(`${message}可以改用示例语音。`, "示例语音", () => {
    composer.togglePanel(true);
    $("banner").hidden = true;
  }, "mic");
  composer.togglePanel(true);
}

function connection(ok) {
  const node = $("banner");
  if (!ok) banner("与沙盒服务的连接断开，正在重连…（确认 make demo 还在运行）", "", null, "offline");
  else if (node.dataset.kind === "offline") node.hidden = true;
}

function unread(userid) {
  return Math.max(0, (state.counts[userid] || 0) - (state.seen[userid] ?? 0));
}

function renderPersonas() {
  const nav = $("personas");
  nav.replaceChildren();
  for (const p of state.setup.personas) {
    const chip = el("button", "persona");
    chip.type = "button";
    chip.dataset.user = p.userid;
    chip.setAttribute("aria-pressed", String(p.userid === state.persona.userid));
    chip.title = p.title ? `${p.name} · ${p.title}` : p.label;
    chip.append(avatar(p.name.slice(-1)), el("span", "", p.label));
    const count = unread(p.userid);
    if (count && p.userid !== state.persona.userid) chip.append(el("span", "badge", String(count)));
    chip.addEventListener("click", () => switchTo(p.userid));
    nav.append(chip);
  }
  // The chip with a badge may be scrolled out of sight: say so where it is always visible.
  const waiting = state.setup.personas.filter(
    (p) => p.userid !== state.persona.userid && unread(p.userid));
  const hint = $("unread-hint");
  hint.hidden = !waiting.length;
  if (waiting.length) {
    hint.textContent = `${waiting[0].name} 有新消息`;
    hint.title = waiting.map((p) => `${p.label}：${unread(p.userid)} 条`).join("\n");
    hint.onclick = () => switchTo(waiting[0].userid);
  }
}

function intro() {
  const p = state.persona;
  const text = p.role === "rep"
    ? `你现在是 ${p.name}（${p.role_label}）。发一条拜访记录试试：直接打字，点左边话筒按住录音，或点 ＋ 选一条示例语音。输入 /帮助 查看你能用的命令。`
    : `你现在是 ${p.name}（${p.role_label}）。输入 /帮助 查看你能用的命令；销售提交的审批和提醒会发到这里。`;
  const li = el("li", "item");
  li.append(el("div", "system intro", text));
  return li;
}

function stampFor(item, previous) {
  const at = new Date(item.at).getTime();
  if (previous && at - new Date(previous.at).getTime() < STAMP_GAP_MS) return null;
  const today = new Date().toDateString() === new Date(item.at).toDateString();
  return formatTime(item.at, state.setup.timezone, !today);
}

function playVoice(url, node) {
  if (state.audio) {
    state.audio.pause();
    state.audio.node.classList.remove("playing");
    if (state.audio.url === url) { state.audio = null; return; }
  }
  const audio = new Audio(url);
  audio.url = url;
  audio.node = node;
  node.classList.add("playing");
  audio.addEventListener("ended", () => node.classList.remove("playing"));
  audio.play().catch(() => { node.classList.remove("playing"); toast("这条语音无法播放。"); });
  state.audio = audio;
}

const context = () => ({
  persona: state.persona,
  picks: state.picks,
  playVoice,
  onTap: (taskId, key) => api.tap(state.persona.userid, taskId, key).catch((error) => {
    toast(error.message);
    throw error;
  }),
  onSubmit: (taskId, choices) => api.submit(state.persona.userid, taskId, choices)
    .catch((error) => { toast(error.message); throw error; }),
});

function renderSnapshot(user, snapshot) {
  if (!state.persona || user !== state.persona.userid) return;
  state.counts = snapshot.counts;
  // What had arrived before the page first looked counts as read; later arrivals get a badge.
  for (const [userid, count] of Object.entries(snapshot.counts)) {
    if (!(userid in state.seen)) state.seen[userid] = count;
  }
  state.seen[user] = snapshot.counts[user] || 0;
  const chat = $("chat");
  const list = $("messages");
  const nearBottom = chat.scrollHeight - chat.scrollTop - chat.clientHeight < 120;
  const before = state.nodes.size;
  const ctx = context();
  const nodes = [];
  const next = new Map();
  snapshot.items.forEach((item, i) => {
    const stamp = stampFor(item, snapshot.items[i - 1]);
    const sig = JSON.stringify([item, stamp]);
    const old = state.nodes.get(item.id);
    const node = old && old.sig === sig ? old.node : renderItem(item, ctx, stamp);
    next.set(item.id, { sig, node });
    nodes.push(node);
  });
  if (!nodes.length) nodes.push(intro());
  nodes.forEach((node, i) => {
    if (list.children[i] !== node) list.insertBefore(node, list.children[i] || null);
  });
  while (list.children.length > nodes.length) list.lastElementChild.remove();
  state.nodes = next;
  if (nearBottom || next.size > before) chat.scrollTop = chat.scrollHeight;
  renderPersonas();
}

const feed = new ConversationFeed(renderSnapshot, connection);
let composer = null;

function switchTo(userid) {
  const persona = state.setup.personas.find((p) => p.userid === userid) || state.setup.personas[0];
  state.persona = persona;
  state.nodes = new Map();
  $("messages").replaceChildren();
  if (location.hash !== `#${persona.userid}`) history.replaceState(null, "", `#${persona.userid}`);
  document.title = `${persona.name} · 销售助手 · 沙盒`;
  renderPersonas();
  const chip = $("personas").querySelector('[aria-pressed="true"]');
  if (chip) chip.scrollIntoView({ block: "nearest", inline: "nearest" });
  feed.follow(persona.userid);
}

async function main() {
  try {
    state.setup = await api.setup();
  } catch (error) {
    banner(`沙盒没有启动成功：${error.message}`);
    return;
  }
  $("org-name").textContent = state.setup.org_name;
  if (!state.setup.personas.length) {
    banner("配置里没有人设置 wecom_userid，沙盒里没有可用的身份。");
    return;
  }
  composer = new Composer({
    user: () => state.persona.userid,
    toast,
    onMicProblem: micProblem,
    maxSeconds: state.setup.max_voice_seconds,
  });
  composer.showSamples(state.setup.samples);
  composer.refresh();
  switchTo(decodeURIComponent(location.hash.slice(1)));
}

main();
