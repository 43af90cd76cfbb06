import { clickView, normalizeUtm, type ClickRecorded, type ClickUtm, type ClickView } from '@hop/events';
import { countryName } from './country';
import { describeUserAgent } from './user-agent';

export { normalizeUtm, type ClickRecorded };

export type Utm = ClickUtm;

/** A stored click: the event enriched with browser, OS, device and country name. */
export interface Click extends Omit<ClickView, 'id' | 'createdAt'> {
  clickId: string;
  workspaceId: string;
  trigger: string;
  createdAt: Date;
}

const describer = { userAgent: describeUserAgent, countryName };

/** The click of a click.recorded event as it is stored: its view (as GET /api/analytics shows it) in its workspace. */
export function enrichClick(workspaceId: string, data: ClickRecorded): Click {
  const { id, createdAt: _createdAt, ...view } = clickView(data, describer);
  return { clickId: id, workspaceId, ...view, trigger: data.trigger, createdAt: new Date(data.timestamp) };
}

/** A click id in the workspace that names it: conversion lookups never cross workspaces. */
export interface WorkspaceClick {
  workspaceId: string;
  clickId: string;
}

/** Map key of a click in its workspace. */
export const clickKey = (workspaceId: string, clickId: string) => `${workspaceId}/${clickId}`;
