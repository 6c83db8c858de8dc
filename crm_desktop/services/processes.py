"""Whether a process id belongs to a running process, without disturbing that process."""

from __future__ import annotations

import os
import sys


def process_running(pid: int) -> bool:
    """True if ``pid`` is a live process (of any user); False for a finished one."""
    if pid <= 0:
        return False  # 0 and negative numbers address process groups, not one process
    if sys.platform == "win32":
        return _running_on_windows(pid)
    try:
        os.kill(pid, 0)  # signal 0 only checks that the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists and belongs to another user
    except (OverflowError, OSError):
        return False
    return True


def _running_on_windows(pid: int) -> bool:
    # os.kill() on Windows terminates the process whatever the signal, so ask the kernel instead.
    if sys.platform != "win32":
        raise NotImplementedError
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.OpenProcess.restype = ctypes.c_void_p
    kernel32.GetExitCodeProcess.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_ulong)]
    kernel32.CloseHandle.argtypes = [ctypes.c_void_p]
    query_limited_information, access_denied, still_active = 0x1000, 5, 259
    handle = kernel32.OpenProcess(query_limited_information, False, pid)
    if not handle:
        return ctypes.get_last_error() == access_denied
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == still_active
    finally:
        kernel32.CloseHandle(handle)
