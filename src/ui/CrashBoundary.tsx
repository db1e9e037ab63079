// Catches an error thrown while rendering and hands it to the console's crash path (terminal
// restored, one line, exit code 1). Without it Ink catches the error itself, unmounts and
// leaves the process to exit 0 with the alternate screen still on.
import React from 'react';

export interface CrashBoundaryProps {
  onCrash: (error: unknown) => void;
  children?: React.ReactNode;
}

export class CrashBoundary extends React.Component<CrashBoundaryProps, { crashed: boolean }> {
  override state = { crashed: false };

  static getDerivedStateFromError(): { crashed: boolean } {
    return { crashed: true };
  }

  override componentDidCatch(error: unknown): void {
    this.props.onCrash(error);
  }

  override render(): React.ReactNode {
    return this.state.crashed ? null : this.props.children;
  }
}
