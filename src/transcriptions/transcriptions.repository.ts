import { Injectable } from '@nestjs/common';
import { JobChildRepository } from '../database/job-child-repository';
import type { CreateTranscriptionDto } from './dto/create-transcription.dto';
import type { TranscriptionResponseDto } from './dto/transcription-response.dto';
import { Transcription } from './transcription.entity';

/** Repository of `transcriptions`. */
@Injectable()
export class TranscriptionsRepository extends JobChildRepository.of<TranscriptionResponseDto, CreateTranscriptionDto>(
  Transcription,
  'Transcription',
  'provider',
) {}
