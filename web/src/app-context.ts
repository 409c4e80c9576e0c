import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api, Schemas } from './api/client';

export type Organization = Schemas['OrganizationWithRoleDto'];
export type Role = Organization['role'];

/** What every page of a signed-in user needs: the client, the user and the chosen organization. */
export interface AppContext {
  api: Api;
  me: Schemas['MeResponseDto'];
  organization: Organization;
  reloadMe: () => void;
}

export const AppCtx = createContext<AppContext | null>(null);

export function useApp(): AppContext {
  const ctx = useContext(AppCtx);
  if (!ctx) throw new Error('useApp outside a signed-in page');
  return ctx;
}

/** Owners and admins manage API keys, members and shared links. */
export const canManage = (role: Role) => role === 'owner' || role === 'admin';
/** Members and above manage websites, goals and shields. */
export const canEdit = (role: Role) => role !== 'viewer';
