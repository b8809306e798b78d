// A WeCom template_card as the phone client shows it, drawn from the card JSON the bot sent
// (button_interaction, multiple_interaction, text_notice) and the simulator's greyed state.

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

// Where a field's value came from, as the bot appends it: "华东机械（文字）".
const HINTS = { 语音: "h-spoken", 文字: "h-spoken", 历史: "h-history", 建议: "h-suggested",
  已确认: "h-confirmed", 待确认: "h-pending" };
const HINT_AT_END = /（(语音|文字|历史|建议|已确认|待确认)）$/;

function rowValue(value) {
  const dd = el("dd");
  const match = String(value).match(HINT_AT_END);
  if (!match) {
    dd.textContent = value;
    return dd;
  }
  dd.append(document.createTextNode(value.slice(0, match.index)));
  const hint = el("span", `hint ${HINTS[match[1]]}`, match[1]);
  hint.title = `来源：${match[1]}`;
  dd.append(hint);
  return dd;
}

function header(card, body) {
  const title = body.main_title || {};
  card.append(el("div", "card-title", title.title || ""));
  if (title.desc) card.append(el("div", "card-desc", title.desc));
}

function rows(card, body) {
  const list = body.horizontal_content_list || [];
  if (list.length) {
    const dl = el("dl", "card-rows");
    for (const row of list) {
      const line = el("div", "card-row");
      line.append(el("dt", "", row.keyname), rowValue(row.value || ""));
      dl.append(line);
    }
    card.append(dl);
  }
  if (body.sub_title_text) card.append(el("div", "card-text", body.sub_title_text));
}

function actionButton(text, style, onClick) {
  const button = el("button", `card-btn s${style || 4}`, text);
  button.type = "button";
  button.addEventListener("click", async () => {
    button.disabled = true;
    button.classList.add("busy");
    const release = () => {
      button.disabled = false;
      button.classList.remove("busy");
    };
    try {
      await onClick();
      // The bot's update redraws the card (replacing this button); if none comes, allow again.
      setTimeout(release, 8000);
    } catch {
      release();
    }
  });
  return button;
}

function greyed(card, label) {
  card.classList.add("closed");
  card.append(el("div", "greyed", label));
}

function buttons(card, data, ctx) {
  const list = data.body.button_list || [];
  // Short labels side by side (保存 修改 丢弃); long choice labels one per line, readable.
  const long = list.some((b) => (b.text || "").length > 5);
  const columns = long || list.length === 1 ? 1 : list.length === 3 ? 3 : 2;
  const box = el("div", "card-buttons");
  box.style.gridTemplateColumns = `repeat(${columns}, 1fr)`;
  for (const b of list) {
    box.append(actionButton(b.text, b.style, () => ctx.onTap(data.task_id, b.key)));
  }
  card.append(box);
}

function selects(card, data, ctx) {
  const key = `${data.task_id}#${data.version}`;
  const picks = ctx.picks.get(key) || {};
  ctx.picks.set(key, picks);
  const lists = data.body.select_list || [];
  for (const s of lists) {
    const label = el("label", "card-select");
    label.append(el("span", "", s.title || ""));
    const select = el("select");
    select.name = s.question_key;
    for (const o of s.option_list || []) {
      const option = el("option", "", o.text);
      option.value = o.id;
      select.append(option);
    }
    const ids = (s.option_list || []).map((o) => o.id);
    const chosen = picks[s.question_key] ?? s.selected_id;
    if (ids.includes(chosen)) select.value = chosen;
    select.addEventListener("change", () => { picks[s.question_key] = select.value; });
    label.append(select);
    card.append(label);
  }
  const submit = data.body.submit_button;
  if (!submit) return;
  const box = el("div", "card-buttons single");
  box.append(actionButton(submit.text, 1, () => {
    const choices = {};
    for (const select of card.querySelectorAll("select")) choices[select.name] = select.value;
    return ctx.onSubmit(data.task_id, choices);
  }));
  card.append(box);
}

export function renderCard(data, ctx) {
  const body = data.body || {};
  const card = el("section", "card");
  card.dataset.taskId = data.task_id;
  card.dataset.version = String(data.version);
  card.dataset.cardType = data.card_type;
  header(card, body);
  if (data.card_type !== "multiple_interaction") rows(card, body);
  if (data.greyed) {
    greyed(card, data.greyed);
  } else if (data.card_type === "button_interaction") {
    buttons(card, data, ctx);
  } else if (data.card_type === "multiple_interaction") {
    selects(card, data, ctx);
  }
  const action = body.card_action;
  if (action && action.url && /^https?:\/\//.test(action.url)) {
    const link = el("a", "card-link", "查看详情 ›");
    link.href = action.url;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    card.append(link);
  }
  return card;
}
