import {
  Alert,
  Button,
  Flex,
  Input,
  LoadingButton,
  LoadingSpinner,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
  Toggle,
} from '@hubspot/ui-extensions';
import { useState } from 'react';
import { ServiceAlert } from '@invoices/shared/components/ServiceAlert';
import { useAction, useRemote } from '@invoices/shared/hooks/useRemote';
import { api } from '@invoices/shared/lib/api';
import { PERMISSION_LABELS } from '@invoices/shared/lib/permissions';
import { PERMISSIONS, type Permission, type Permissions, type UserPermissions } from '@invoices/shared/lib/types';

const yesNo = (v: boolean) => (v ? 'allowed' : 'not allowed');

/** "void, edit" from explicit grants, for the users table. */
function grantsSummary(explicit: Partial<Permissions>): string {
  const entries = PERMISSIONS.filter((p) => explicit[p] !== undefined).map((p) => `${p}: ${explicit[p] ? 'yes' : 'no'}`);
  return entries.length ? entries.join(', ') : 'defaults only';
}

/**
 * Per-user permissions: the users that have explicit grants, and an editor for any HubSpot user
 * id: one toggle per permission showing whether it follows the default or was set for the user.
 */
export function UserPermissionsEditor() {
  const users = useRemote(() => api.listUsers(), 'users');
  const [userId, setUserId] = useState('');
  const [user, setUser] = useState<UserPermissions | null>(null);
  const [explicit, setExplicit] = useState<Partial<Permissions>>({});
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();

  const show = (u: UserPermissions) => {
    setUser(u);
    setExplicit({ ...u.explicit });
  };
  const load = async (id: string) => {
    setSaved(false);
    setUserId(id);
    const u = await run('load', () => api.userPermissions(id.trim()));
    if (u) show(u);
  };
  const save = async () => {
    if (!user) return;
    const u = await run('save', () => api.setUserPermissions(user.userId, explicit));
    if (u) {
      show(u);
      setSaved(true);
      users.reload();
    }
  };
  const set = (p: Permission, value: boolean | undefined) => {
    setSaved(false);
    setExplicit((e) => {
      const next = { ...e };
      if (value === undefined) delete next[p];
      else next[p] = value;
      return next;
    });
  };

  return (
    <Flex direction="column" gap="sm">
      <Text variant="microcopy">
        Users created in HubSpot before 9 February 2023 may view and edit invoices by default; later users have no access until granted. Super admins always
        have every permission.
      </Text>
      {users.state.status === 'loading' ? <LoadingSpinner label="Loading users…" /> : null}
      {users.state.status === 'error' ? <ServiceAlert error={users.state.error} title="Users could not be loaded" onRetry={users.reload} /> : null}
      {users.state.status === 'success' && users.state.data.data.length > 0 ? (
        <Table bordered>
          <TableHead>
            <TableRow>
              <TableHeader>User id</TableHeader>
              <TableHeader>Set for this user</TableHeader>
              <TableHeader> </TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {users.state.data.data.map((u) => (
              <TableRow key={u.userId}>
                <TableCell>{u.userId}</TableCell>
                <TableCell>{grantsSummary(u.explicit)}</TableCell>
                <TableCell>
                  <Button size="xs" variant="transparent" testId={`edit-user-${u.userId}`} onClick={() => void load(u.userId)}>
                    Edit
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
      <Flex direction="row" gap="xs" align="end">
        <Input label="HubSpot user id" name="permissionsUserId" value={userId} placeholder="42" onChange={setUserId} />
        <LoadingButton
          size="sm"
          variant="secondary"
          testId="load-user"
          loading={busy === 'load'}
          disabled={!/^\d+$/.test(userId.trim()) || busy !== null}
          onClick={() => void load(userId)}
        >
          Show permissions
        </LoadingButton>
      </Flex>
      {error ? <ServiceAlert error={error} title="Permissions could not be changed" /> : null}
      {saved ? (
        <Alert title="Saved" variant="success">
          The user's permissions are saved.
        </Alert>
      ) : null}
      {user ? (
        <Flex direction="column" gap="xs">
          <Text format={{ fontWeight: 'demibold' }}>User {user.userId}</Text>
          {user.superAdmin ? <Text testId="super-admin">A super admin: every permission is always allowed.</Text> : null}
          <Table bordered>
            <TableHead>
              <TableRow>
                <TableHeader>Permission</TableHeader>
                <TableHeader>Allowed</TableHeader>
                <TableHeader>Comes from</TableHeader>
              </TableRow>
            </TableHead>
            <TableBody>
              {PERMISSIONS.map((p) => {
                const own = explicit[p];
                return (
                  <TableRow key={p}>
                    <TableCell>{PERMISSION_LABELS[p]}</TableCell>
                    <TableCell>
                      <Toggle
                        label={PERMISSION_LABELS[p]}
                        labelDisplay="hidden"
                        name={`perm-${p}`}
                        checked={user.superAdmin || (own ?? user.defaults[p])}
                        readOnly={user.superAdmin}
                        onChange={(v) => set(p, v)}
                      />
                    </TableCell>
                    <TableCell>
                      <Flex direction="row" gap="xs" align="center">
                        <Text testId={`perm-source-${p}`}>
                          {own === undefined ? `default (${yesNo(user.defaults[p])})` : `set for this user (default: ${yesNo(user.defaults[p])})`}
                        </Text>
                        {own !== undefined && !user.superAdmin ? (
                          <Button size="xs" variant="transparent" testId={`reset-${p}`} onClick={() => set(p, undefined)}>
                            Use default
                          </Button>
                        ) : null}
                      </Flex>
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
          {!user.superAdmin ? (
            <Button size="sm" variant="primary" testId="save-permissions" disabled={busy !== null} onClick={() => void save()}>
              {busy === 'save' ? 'Saving…' : 'Save permissions'}
            </Button>
          ) : null}
        </Flex>
      ) : null}
    </Flex>
  );
}
