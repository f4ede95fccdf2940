/** The signed-in user, for every screen. */
import { createContext, useContext } from 'react';
import type { User } from './types.ts';

export interface Me {
  user: User;
  via: 'session' | 'token';
}

export const MeContext = createContext<Me | null>(null);

export function useMe(): Me {
  const me = useContext(MeContext);
  if (me === null) throw new Error('useMe outside the signed-in app');
  return me;
}
