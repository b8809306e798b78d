// Draws conversation items. Everything from a message goes in as text (textContent) or through
// escapeHtml first: nothing the bot or a user wrote can inject markup into the page.
import { renderCard } from "./cards.js";

export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
  })[c]);
}

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

// WeCom's app markdown subset: headings, bold, `code`, links, quotes, lists, <font color>.
function inline(escaped) {
  return escaped
    .replace(/`([^`]+)`/g, "<code>$1</code>")
    .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
    .replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g,
      '<a href="$2" target="_blank" rel="noopener noreferrer">$1</a>')
    .replace(/&lt;font color=&quot;(info|comment|warning)&quot;&gt;(.*?)&lt;\/font&gt;/g,
      '<span class="md-$1">$2</span>');
}

export function markdownHtml(text) {
  const out = [];
  let list = null;
  for (const raw of String(text).split("\n")) {
    const line = escapeHtml(raw);
    const item = line.match(/^\s*[-*]\s+(.*)$/);
    if (item) {
      list = list || [];
      list.push(`<li>${inline(item[1])}</li>`);
      continue;
    }
    if (list) {
      out.push(`<ul>${list.join("")}</ul>`);
      list = null;
    }
    const heading = line.match(/^#{1,6}\s+(.*)$/);
    const quote = line.match(/^&gt;\s?(.*)$/);
    if (heading) out.push(`<h3>${inline(heading[1])}</h3>`);
    else if (quote) out.push(`<blockquote>${inline(quote[1])}</blockquote>`);
    else if (line.trim()) out.push(`<p>${inline(line)}</p>`);
  }
  if (list) out.push(`<ul>${list.join("")}</ul>`);
  return out.join("");
}

export function avatar(name, extra = "") {
  const node = el("span", `avatar ${extra}`.trim(), name.slice(-2));
  node.setAttribute("aria-hidden", "true");
  return node;
}

export function formatTime(iso, timeZone, withDate) {
  const options = { timeZone, hour: "2-digit", minute: "2-digit", hour12: false };
  if (withDate) Object.assign(options, { month: "numeric", day: "numeric" });
  return new Intl.DateTimeFormat("zh-CN", options).format(new Date(iso));
}

const WAVE = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M5 12a1.5 1.5 0 1 0 3 0a1.5 1.5 0 1 0-3 0zm5.2-4.6 1.4-1.4a8.5 8.5 0 0 1 0 12l-1.4-1.4a6.5 6.5 0 0 0 0-9.2zm3.6-3.6 1.4-1.4a13.5 13.5 0 0 1 0 19.2l-1.4-1.4a11.5 11.5 0 0 0 0-16.4z"/></svg>';

function voiceBubble(item, ctx) {
  const seconds = Math.max(1, Math.round(item.seconds || 0));
  const bubble = el("button", "bubble voice");
  bubble.type = "button";
  bubble.style.width = `${Math.min(80 + seconds * 6, 220)}px`;
  bubble.innerHTML = WAVE; // a constant icon, no message content
  bubble.append(el("span", "voice-len", `${seconds}″`));
  bubble.setAttribute("aria-label", `语音 ${seconds} 秒，点击播放`);
  if (item.audio_url) bubble.addEventListener("click", () => ctx.playVoice(item.audio_url, bubble));
  return bubble;
}

function fileBox(item) {
  const box = el("div", "file");
  const ext = (item.filename || "").split(".").pop().toUpperCase().slice(0, 4) || "FILE";
  box.append(el("span", "file-icon", ext), el("span", "file-name", item.filename || "文件"));
  const link = el("a", "", "下载");
  link.href = item.media_url;
  link.download = item.filename || "";
  box.append(link);
  return box;
}

function body(item, ctx) {
  switch (item.kind) {
    case "text":
      return el("div", "bubble", item.text);
    case "markdown": {
      const bubble = el("div", "bubble markdown");
      bubble.innerHTML = markdownHtml(item.text); // escaped line by line in markdownHtml
      return bubble;
    }
    case "voice":
      return voiceBubble(item, ctx);
    case "image": {
      const link = el("a", "image");
      link.href = item.media_url;
      link.target = "_blank";
      const img = el("img");
      img.src = item.media_url;
      img.alt = "图片";
      link.append(img);
      return link;
    }
    case "file":
      return fileBox(item);
    case "template_card":
      return renderCard(item.card, ctx);
    default:
      return el("div", "bubble", `［暂不支持显示的消息类型：${item.kind}］`);
  }
}

function statusLine(item) {
  if (item.status === "sending") return el("span", "status", "发送中…");
  if (item.status === "failed") return el("span", "status failed", `发送失败：${item.error}`);
  return null;
}

// One <li>: an optional time stamp, then the avatar and the message.
export function renderItem(item, ctx, stamp) {
  const li = el("li", "item");
  li.dataset.id = item.id;
  if (stamp) li.append(el("div", "stamp", stamp));
  const mine = item.from === "me";
  const row = el("div", `msg ${mine ? "me" : "bot"}`);
  row.dataset.kind = item.kind;
  const content = el("div", "content");
  content.append(body(item, ctx));
  if (item.label) content.append(el("span", "voice-label", `示例：${item.label}`));
  const status = mine ? statusLine(item) : null;
  if (status) content.append(status);
  row.append(mine ? avatar(ctx.persona.name) : avatar("助手", "bot"), content);
  li.append(row);
  return li;
}
