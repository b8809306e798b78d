// The input bar: text, hold-to-talk recording, and the sample voice notes panel.
import { api } from "./api.js";
import { MicError, VoiceRecorder } from "./voice.js";

const $ = (id) => document.getElementById(id);
const CANCEL_DRAG_PX = 60;

function clock(seconds) {
  const s = Math.floor(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

export class Composer {
  constructor({ user, toast, onMicProblem, maxSeconds }) {
    this.user = user; // () => the current persona's WeCom user id
    this.toast = toast;
    this.onMicProblem = onMicProblem;
    this.maxSeconds = maxSeconds || 60;
    this.recorder = new VoiceRecorder();
    this.voiceMode = false;
    this.input = $("text-input");
    this.hold = $("hold-btn");
    this.wire();
  }

  wire() {
    this.input.addEventListener("input", () => this.refresh());
    this.input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.sendText();
      }
    });
    $("send-btn").addEventListener("click", () => this.sendText());
    $("more-btn").addEventListener("click", () => this.togglePanel());
    $("image-input").addEventListener("change", () => this.sendImages());
    $("mode-toggle").addEventListener("click", () => this.setVoiceMode(!this.voiceMode));
    this.hold.addEventListener("pointerdown", (event) => this.pressed(event));
    this.hold.addEventListener("pointermove", (event) => this.dragged(event));
    this.hold.addEventListener("pointerup", () => this.released(true));
    this.hold.addEventListener("pointercancel", () => this.released(false));
    this.hold.addEventListener("contextmenu", (event) => event.preventDefault());
  }

  refresh() {
    const hasText = this.input.value.trim().length > 0 && !this.voiceMode;
    $("send-btn").hidden = !hasText;
    $("more-btn").hidden = hasText;
    this.input.style.height = "auto";
    this.input.style.height = `${Math.min(this.input.scrollHeight, 120)}px`;
  }

  showSamples(samples) {
    const list = $("samples");
    list.replaceChildren();
    if (!samples.length) {
      const empty = document.createElement("li");
      empty.className = "panel-hint";
      empty.textContent = "没有找到示例语音文件。";
      list.append(empty);
    }
    for (const sample of samples) {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sample";
      button.dataset.sample = sample.id;
      const main = document.createElement("span");
      main.className = "sample-main";
      const title = document.createElement("span");
      title.className = "sample-title";
      title.textContent = sample.title;
      const text = document.createElement("span");
      text.className = "sample-text";
      text.textContent = `“${sample.text}”`;
      main.append(title, document.createElement("br"), text);
      const len = document.createElement("span");
      len.className = "sample-len";
      len.textContent = `${Math.round(sample.seconds)}″ 发送`;
      button.append(main, len);
      button.addEventListener("click", () => this.sendSample(sample));
      item.append(button);
      list.append(item);
    }
  }

  togglePanel(open) {
    const panel = $("samples-panel");
    panel.hidden = open === undefined ? !panel.hidden : !open;
  }

  async sendText() {
    const text = this.input.value.trim();
    if (!text) return;
    this.input.value = "";
    this.refresh();
    try {
      await api.sendText(this.user(), text);
    } catch (error) {
      this.toast(error.message);
      if (!this.input.value) this.input.value = text; // give the words back to try again
      this.refresh();
    }
  }

  async sendSample(sample) {
    this.togglePanel(false);
    try {
      await api.sendSample(this.user(), sample.id);
    } catch (error) {
      this.toast(error.message);
    }
  }

  async sendImages() {
    const input = $("image-input");
    const files = [...input.files];
    input.value = "";
    this.togglePanel(false);
    for (const file of files) {
      try {
        await api.sendImage(this.user(), file); // one at a time, in the order picked
      } catch (error) {
        this.toast(error.message);
        return;
      }
    }
  }

  async setVoiceMode(on) {
    this.voiceMode = on;
    this.input.hidden = on;
    this.hold.hidden = !on;
    $("mode-toggle").setAttribute("aria-pressed", String(on));
    $("mode-toggle").setAttribute("aria-label", on ? "切换到文字输入" : "切换到语音输入");
    this.refresh();
    if (!on) {
      this.recorder.release();
      return;
    }
    try {
      await this.recorder.prepare();
    } catch (error) {
      this.setVoiceMode(false);
      this.onMicProblem(error instanceof MicError ? error.message : String(error));
    }
  }

  async pressed(event) {
    if (event.button !== undefined && event.button !== 0) return;
    event.preventDefault();
    this.hold.setPointerCapture?.(event.pointerId);
    this.down = true;
    this.startY = event.clientY;
    this.cancelArmed = false;
    try {
      await this.recorder.prepare();
    } catch (error) {
      this.setVoiceMode(false);
      this.onMicProblem(error.message);
      return;
    }
    if (!this.down) return; // let go while the browser was still asking for the microphone
    this.recorder.start();
    this.hold.classList.add("active");
    this.hold.textContent = "松开 结束";
    $("recording").hidden = false;
    $("recording").classList.remove("cancel");
    $("recording-time").textContent = "0:00";
    this.timer = setInterval(() => {
      const seconds = this.recorder.elapsed();
      $("recording-time").textContent = clock(seconds);
      if (seconds >= this.maxSeconds) this.released(true); // WeCom stops at 60 s and sends
    }, 200);
  }

  dragged(event) {
    if (!this.recorder.recording) return;
    this.cancelArmed = this.startY - event.clientY > CANCEL_DRAG_PX;
    $("recording").classList.toggle("cancel", this.cancelArmed);
    $("recording-hint").textContent = this.cancelArmed ? "松开手指，取消发送" : "松开 发送，上滑 取消";
  }

  async released(send) {
    this.down = false;
    if (!this.recorder.recording) return;
    clearInterval(this.timer);
    this.hold.classList.remove("active");
    this.hold.textContent = "按住 说话";
    $("recording").hidden = true;
    if (!send || this.cancelArmed) {
      this.recorder.cancel();
      this.toast("已取消发送");
      return;
    }
    const note = await this.recorder.stop();
    if (!note || note.seconds < 1) {
      this.toast("说话时间太短");
      return;
    }
    try {
      await api.sendRecording(this.user(), note.blob, note.seconds, note.type);
    } catch (error) {
      this.toast(error.message);
    }
  }
}
