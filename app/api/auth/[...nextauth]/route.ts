import type { NextRequest } from 'next/server';
import { GET as authGet, POST as authPost } from '@/app/(auth)/auth';
import { withHostOrigin } from '@/lib/auth/host-origin';

export const GET = (request: NextRequest) => authGet(withHostOrigin(request));
export const POST = (request: NextRequest) => authPost(withHostOrigin(request));
