/** The app: works out who is signed in, then the shell with navigation around the screens. */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { auth, errorMessage } from './api.ts';
import { startLive, useInboxCount } from './live.ts';
import { match, navigate, useLocation } from './router.ts';
import { signOut, whoAmI, type Start } from './session.ts';
import { MeContext, useMe } from './me.ts';
import { Button, Link, Loading } from './ui.tsx';
import { SignIn } from './screens/sign-in.tsx';
import { InboxScreen } from './screens/inbox.tsx';
import { DashboardScreen } from './screens/dashboard.tsx';
import { RunScreen, RunsScreen } from './screens/runs.tsx';
import { DocumentScreen, DocumentsScreen, NewDocumentScreen } from './screens/documents.tsx';
import { BankScreen } from './screens/bank.tsx';
import { ClientScreen, ClientsScreen } from './screens/clients.tsx';
import { WorkflowScreen, WorkflowsScreen } from './screens/workflows.tsx';
import { AuditScreen } from './screens/audit.tsx';
import { SettingsScreen } from './screens/settings.tsx';

export function App(): ReactNode {
  const [start, setStart] = useState<Start | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const check = useCallback(() => {
    setFailure(null);
    whoAmI().then(setStart, (error: unknown) => setFailure(errorMessage(error)));
  }, []);
  useEffect(check, [check]);
  useEffect(() => {
    auth.onUnauthorized(() => {
      setStart((s) => (s?.kind === 'signed-in' ? { kind: 'sign-in', via: s.via } : s));
    });
    return () => auth.onUnauthorized(null);
  }, []);

  if (failure !== null) {
    return (
      <main className="center-page">
        <div className="auth-card">
          <h1>OpsLoop is not reachable</h1>
          <p>{failure}</p>
          <Button variant="primary" onClick={check}>
            Try again
          </Button>
        </div>
      </main>
    );
  }
  if (start === null) {
    return (
      <main className="center-page">
        <Loading label="Opening OpsLoop…" />
      </main>
    );
  }
  if (start.kind !== 'signed-in') {
    return <SignIn mode={start.kind === 'needs-owner' ? 'owner' : start.via} onSignedIn={(user, via) => setStart({ kind: 'signed-in', user, via })} />;
  }
  return (
    <MeContext.Provider value={{ user: start.user, via: start.via }}>
      <Shell
        onSignOut={() => {
          void signOut(start.via).then(() => {
            navigate('/', { replace: true });
            check();
          });
        }}
      />
    </MeContext.Provider>
  );
}

const nav: { to: string; label: string; icon: string }[] = [
  { to: '/inbox', label: 'Inbox', icon: 'M4 13h4l2 3h4l2-3h4M4 13l2-8h12l2 8v6H4z' },
  { to: '/dashboard', label: 'Dashboard', icon: 'M4 20V10M10 20V4M16 20v-7M22 20H2' },
  { to: '/runs', label: 'Runs', icon: 'M5 4l14 8-14 8z' },
  { to: '/documents', label: 'Documents', icon: 'M6 2h9l5 5v15H6zM14 2v6h6M9 13h8M9 17h8' },
  { to: '/bank', label: 'Bank', icon: 'M3 10h18M12 3l9 5H3zM5 10v8M9.5 10v8M14.5 10v8M19 10v8M3 21h18' },
  { to: '/clients', label: 'Clients', icon: 'M16 19v-1a4 4 0 0 0-4-4H7a4 4 0 0 0-4 4v1M9.5 10a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7M21 19v-1a4 4 0 0 0-3-3.9M16 3.1a4 4 0 0 1 0 7.8' },
  { to: '/workflows', label: 'Workflows', icon: 'M6 3v12M18 9a3 3 0 1 0 0-6 3 3 0 0 0 0 6M6 21a3 3 0 1 0 0-6 3 3 0 0 0 0 6M18 9a9 9 0 0 1-9 9' },
  { to: '/audit', label: 'Audit', icon: 'M12 2l8 4v6c0 5-3.5 8.5-8 10-4.5-1.5-8-5-8-10V6zM9 12l2 2 4-4' },
  { to: '/settings', label: 'Settings', icon: 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-2.9 1.2V21a2 2 0 0 1-4 0v-.1a1.7 1.7 0 0 0-2.9-1.2l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1A1.7 1.7 0 0 0 3 15.1H3a2 2 0 0 1 0-4h.1a1.7 1.7 0 0 0 1.2-2.9l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 0 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 0 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z' },
];

function Icon(props: { d: string }): ReactNode {
  return (
    <svg className="nav-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={props.d} />
    </svg>
  );
}

function Shell(props: { onSignOut: () => void }): ReactNode {
  const me = useMe();
  const { path } = useLocation();
  const count = useInboxCount();
  const [menuOpen, setMenuOpen] = useState(false);

  useEffect(() => startLive(), []);
  useEffect(() => {
    if (path === '/') navigate('/inbox', { replace: true });
  }, [path]);
  useEffect(() => {
    document.title = count !== null && count > 0 ? `(${count}) OpsLoop` : 'OpsLoop';
  }, [count]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <button type="button" className="icon-btn menu-btn" aria-label={menuOpen ? 'Close menu' : 'Open menu'} aria-expanded={menuOpen} aria-controls="side-nav" onClick={() => setMenuOpen((o) => !o)}>
          <svg viewBox="0 0 24 24" aria-hidden="true">
            <path d={menuOpen ? 'M6 6l12 12M18 6L6 18' : 'M4 7h16M4 12h16M4 17h16'} />
          </svg>
        </button>
        <Link to="/inbox" className="brand">
          <span className="brand-mark" aria-hidden="true" />
          OpsLoop
        </Link>
      </header>
      <nav id="side-nav" className={`sidebar${menuOpen ? ' open' : ''}`} aria-label="Main">
        <Link to="/inbox" className="brand brand-side">
          <span className="brand-mark" aria-hidden="true" />
          OpsLoop
        </Link>
        <ul>
          {nav.map((item) => {
            const active = path === item.to || path.startsWith(`${item.to}/`);
            return (
              <li key={item.to}>
                <Link to={item.to} className={`nav-link${active ? ' active' : ''}`} aria-current={active ? 'page' : undefined} onNavigate={() => setMenuOpen(false)}>
                  <Icon d={item.icon} />
                  <span>{item.label}</span>
                  {item.to === '/inbox' && count !== null && count > 0 ? (
                    <span className="nav-count" aria-label={`${count} waiting`} data-testid="inbox-count">
                      {count}
                    </span>
                  ) : null}
                </Link>
              </li>
            );
          })}
        </ul>
        <div className="sidebar-foot">
          <div className="who">
            <span className="who-name">{me.user.name ?? me.user.email}</span>
            <span className="who-role">
              {me.user.email} · {me.user.role}
            </span>
          </div>
          <Button variant="ghost" onClick={props.onSignOut}>
            Sign out
          </Button>
        </div>
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        <Screen path={path} />
      </main>
    </div>
  );
}

function Screen(props: { path: string }): ReactNode {
  const { path } = props;
  let params: Record<string, string> | null;
  if (path === '/inbox' || path === '/') return <InboxScreen />;
  if (path === '/dashboard') return <DashboardScreen />;
  if (path === '/runs') return <RunsScreen />;
  if ((params = match('/runs/:id', path)) !== null) return <RunScreen id={params.id as string} />;
  if (path === '/documents') return <DocumentsScreen />;
  if (path === '/documents/new') return <NewDocumentScreen />;
  if ((params = match('/documents/:id', path)) !== null) return <DocumentScreen id={params.id as string} />;
  if (path === '/bank') return <BankScreen />;
  if (path === '/clients') return <ClientsScreen />;
  if ((params = match('/clients/:id', path)) !== null) return <ClientScreen id={params.id as string} />;
  if (path === '/workflows') return <WorkflowsScreen />;
  if ((params = match('/workflows/:id', path)) !== null) return <WorkflowScreen id={params.id as string} />;
  if (path === '/audit') return <AuditScreen />;
  if (path === '/settings') return <SettingsScreen />;
  return (
    <div className="empty">
      <h1>Nothing here</h1>
      <p>There is no page at {path}.</p>
      <Link to="/inbox">Go to the Inbox</Link>
    </div>
  );
}
