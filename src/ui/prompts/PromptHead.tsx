// A prompt's title and subject (which allocation, job, namespace, region), wrapped to the
// pane's width rather than cut: a prompt must say in full what it will act on.
import React from 'react';
import { Text } from 'ink';
import { useServices } from '../context.js';
import { fit, wrap } from '../format.js';

/** The lines the title and subject take at this inner width (each at most three lines). */
export function headLines(title: string, subject: readonly string[], inner: number): { title: string[]; subject: string[] } {
  const most = (text: string): string[] => wrap(text, inner).slice(0, 3);
  return { title: most(title), subject: subject.flatMap(most) };
}

export function PromptHead({ title, subject, inner }: { title: string; subject: readonly string[]; inner: number }): React.JSX.Element {
  const { theme } = useServices();
  const lines = headLines(title, subject, inner);
  return (
    <>
      {lines.title.map((line, i) => (
        <Text key={`t${i}`} bold color={theme.accent}>{fit(line, inner)}</Text>
      ))}
      {lines.subject.map((line, i) => (
        <Text key={`s${i}`} wrap="truncate">{fit(line, inner)}</Text>
      ))}
    </>
  );
}
