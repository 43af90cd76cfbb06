import type { FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../i18n';
import { ApiError, fieldErrors } from '../lib/api-error';

/**
 * A dialog form's save: `mutationFn` on submit, then the lists under `queryKey` refetched and
 * `onSaved` told; the API's problems by field, in the user's language.
 */
export function useSaveForm<T>(mutationFn: () => Promise<T>, queryKey: string, onSaved: (result: T) => void) {
  const { language } = useI18n();
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn,
    onSuccess: async (result) => {
      await queryClient.invalidateQueries({ queryKey: [queryKey] });
      onSaved(result);
    },
  });
  const errors = save.error instanceof ApiError ? fieldErrors(save.error, language) : {};
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return { save, errors, submit };
}
