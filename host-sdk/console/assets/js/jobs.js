// jobs.js - following a plugin job (Test Connection, import, auto-map):
// poll GET /api/itglue/jobs/:id every 500 ms, backing off to 2 s, show a
// progress bar ("RUNNING DONE/TOTAL"; a queued job says what runs before
// it, from the plugin's status.progress) and, at the end, a status line:
// "Finished" or "Failed: reason". There is no cancel: a job runs to its end.

import { get } from './api.js';
import { el, replace, statusLine } from './dom.js';

const sleep = ms => new Promise(r => setTimeout(r, ms));

// The reason of a failed or cancelled job, from its result.
export function jobReason(job) {
	const r = job && job.result;
	if (r && typeof r === 'object') {
		if (r.error && typeof r.error.message === 'string')
			return r.error.message;
		if (typeof r.detail === 'string')
			return r.detail;
	}
	if (job && job.state === 'cancelled')
		return 'cancelled (the host stopped; run it again)';
	return job && job.state ? job.state : 'unknown';
}

export function progressBar(done, total, state, note) {
	const d = Number(done) || 0;
	const t = Number(total) || 0;
	const label = (state || 'running').toUpperCase() + ' ' + d + '/' +
		(t || '?') + (note ? ' (' + note + ')' : '');
	const bar = el('progress', { 'aria-hidden': 'true',
		max: String(t > 0 ? t : 1) });
	if (t > 0)
		bar.value = Math.min(d, t);
	else
		bar.removeAttribute('value'); /* indeterminate */
	const node = el('div', { role: 'progressbar', class: 'progress',
		'aria-valuemin': '0', 'aria-valuenow': String(d),
		'aria-valuemax': String(t) }, bar, el('span', null, label));
	return node;
}

// What a queued job waits for, from the plugin's status.progress: "behind
// auto-map 3/10, 2 queued"; null when nothing runs or it cannot be read.
async function waitingBehind() {
	try {
		const s = await get('/api/itglue/status');
		const p = s && s.progress;
		if (!p || typeof p.running !== 'string')
			return null;
		return 'behind ' + p.running + ' ' + (Number(p.done) || 0) + '/' +
			(Number(p.total) || '?') + (p.queued ? ', ' +
			Number(p.queued) + ' queued' : '');
	} catch (e) {
		return null;
	}
}

// Follows job ID, drawing into BOX; resolves with the finished job (state
// done, failed or cancelled). onUpdate(job) is called at each answer.
export async function followJob(id, box, onUpdate) {
	let delay = 500;
	for (;;) {
		let job;
		try {
			job = await get('/api/itglue/jobs/' +
				encodeURIComponent(String(id)));
		} catch (e) {
			replace(box, statusLine('Failed: ' + e.message, 'bad'));
			throw e;
		}
		if (onUpdate)
			onUpdate(job);
		if (job.state === 'done' || job.state === 'failed' ||
			job.state === 'cancelled') {
			replace(box, job.state === 'done'
				? statusLine('Finished', 'ok')
				: statusLine('Failed: ' + jobReason(job), 'bad'));
			return job;
		}
		const p = job.progress || {};
		replace(box, progressBar(p.done, p.total, job.state,
			job.state === 'queued' ? await waitingBehind() : null));
		await sleep(delay);
		if (!box.isConnected)
			return job; /* the screen was left: stop asking */
		delay = Math.min(2000, Math.round(delay * 1.5));
	}
}

// A box to follow jobs in.
export function jobBox() {
	return el('div', { class: 'job' });
}
